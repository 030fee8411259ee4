//! Integration tests of dci-harness: the runner and the command, driven against fake handler
//! scripts that misbehave in every way the protocol can be broken. They fake a handler
//! *process*, not a device: each is a few lines of `/bin/sh` written at test time.

mod cli;
mod fake;
mod runner;
