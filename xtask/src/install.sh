#!/bin/sh
# Installs dcihandlers executables into DCImanager's handler directory.
#
#   ./install.sh DEST [NAME...]
#
# DEST is DCImanager's var/dcihandlers (created if missing). With no NAME, every handler in
# this bundle is installed. Each file is checked against SHA256SUMS, copied next to its final
# name and renamed into place (DCImanager never sees half a file), then run with -info: a
# handler that does not answer with its declaration is removed again and the script fails.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

die() {
    echo "install.sh: $*" >&2
    exit 1
}

[ $# -ge 1 ] || die "usage: install.sh DEST [NAME...]   (handlers: $(ls "$here/handlers" | tr '\n' ' '))"
dest=$1
shift

if [ $# -eq 0 ]; then
    set -- $(ls "$here/handlers")
fi

for name in "$@"; do
    case $name in
        */* | .* | "") die "'$name' is not a handler name" ;;
    esac
    [ -f "$here/handlers/$name" ] || die "'$name' is not in this bundle (handlers: $(ls "$here/handlers" | tr '\n' ' '))"
done

if command -v sha256sum >/dev/null 2>&1; then
    (cd "$here" && sha256sum --quiet -c SHA256SUMS) || die "SHA256SUMS does not match: the bundle is damaged"
fi

mkdir -p "$dest"

for name in "$@"; do
    tmp="$dest/.$name.installing.$$"
    cp "$here/handlers/$name" "$tmp"
    chmod 0755 "$tmp"
    mv -f "$tmp" "$dest/$name"
    if ! info=$("$dest/$name" -info </dev/null 2>/dev/null); then
        rm -f "$dest/$name"
        die "$name -info failed; removed it again"
    fi
    case $info in
        *"<type>"*"<supported_funcs>"*) ;;
        *)
            rm -f "$dest/$name"
            die "$name -info did not answer with a handler declaration; removed it again"
            ;;
    esac
    echo "installed $dest/$name"
done
