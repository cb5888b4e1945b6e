#!/usr/bin/env bash
# Packaging test: builds the Debian package from a configured and built tree
# with cpack, checks it the way Debian does (lintian, desktop-file-validate,
# appstreamcli), installs it with dpkg, runs both installed programs (the
# desktop application under Xvfb, through its demo) and removes it again.
#
#   tests/packaging/test_package.sh BUILD_DIR VERSION [SOURCE_DIR] [CPACK]
#
# Exit status: 0 passed, 1 failed, 77 skipped (not root, or drivemirror is
# already installed here and would be replaced; set
# DRIVEMIRROR_PACKAGING_REPLACE=1 to replace and remove it anyway).
set -euo pipefail

build=${1:?usage: test_package.sh BUILD_DIR VERSION [SOURCE_DIR] [CPACK]}
version=${2:?usage: test_package.sh BUILD_DIR VERSION [SOURCE_DIR] [CPACK]}
source_dir=${3:-$(cd "$(dirname "$0")/../.." && pwd)}
cpack=${4:-cpack}
build=$(cd "$build" && pwd)

icon_sizes=(16 22 24 32 48 64 128 256)
demo_timeout=120

step() { printf '\n== [%3ds] %s\n' "$SECONDS" "$*"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
skip() {
    echo "SKIP: $*"
    exit 77
}

if [ "$(id -u)" -ne 0 ]; then
    skip "the packaging test installs the .deb with dpkg -i and removes it again," \
         "which needs root; run it as root (CI does)."
fi

missing=()
for tool in "$cpack" lintian desktop-file-validate appstreamcli dpkg dpkg-deb \
            dpkg-shlibdeps xvfb-run xauth file xmllint gzip man timeout; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] ||
    fail "missing tools: ${missing[*]}; run installer/bootstrap-debian.sh"
[ -f "$build/CPackConfig.cmake" ] || fail "$build is not a configured build directory"

installed_before=$(dpkg-query -W -f='${Status}' drivemirror 2>/dev/null || true)
if [[ "$installed_before" == *" installed" ]]; then
    if [ "${DRIVEMIRROR_PACKAGING_REPLACE:-0}" != 1 ]; then
        skip "drivemirror $(dpkg-query -W -f='${Version}' drivemirror) is installed on this" \
             "system; the test would replace and then remove it. Remove it first" \
             "(dpkg -r drivemirror) or set DRIVEMIRROR_PACKAGING_REPLACE=1."
    fi
    echo "note: replacing the installed drivemirror package (DRIVEMIRROR_PACKAGING_REPLACE=1)"
fi

tmp=$(mktemp -d /tmp/drivemirror-packaging.XXXXXX)
we_installed=0
cleanup() {
    local rc=$?
    if [ "$we_installed" = 1 ] &&
        dpkg-query -W -f='${Status}' drivemirror 2>/dev/null | grep -q ' installed$'; then
        echo "cleanup: removing the drivemirror package"
        dpkg -r drivemirror >/dev/null || true
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT

# --- 1. build the package ----------------------------------------------------
step "cpack -G DEB"
if ! (cd "$build" && "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out") \
        >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log"
    fail "cpack could not build the package"
fi
grep -E '^CPack: - package: ' "$tmp/cpack.log" || true
arch=$(dpkg --print-architecture)
deb="$tmp/out/drivemirror_${version}-1_${arch}.deb"
[ -f "$deb" ] || { cat "$tmp/cpack.log"; fail "expected $deb"; }
echo "package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"

# --- 2. control fields --------------------------------------------------------
step "control fields"
dpkg-deb -f "$deb" Package Version Architecture Section Priority Maintainer \
    Installed-Size Depends Recommends
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = drivemirror ] || fail "Package is not drivemirror"
[ "$(field Version)" = "${version}-1" ] || fail "Version is not ${version}-1"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is not $arch"
[ -n "$(field Section)" ] || fail "no Section"
depends=$(field Depends)
# From dpkg-shlibdeps (libraries the binaries link) and from the hand-written
# list; prefixes, since Debian puts ABI suffixes in names (libspdlog1.10-fmt9).
for dep in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 liburing2 libudev1 \
           libblkid1 libspdlog1 qt6-qpa-plugins libqt6svg6 pkexec; do
    [[ ", $depends" == *", $dep"* ]] || fail "Depends lacks $dep: $depends"
done
[[ ", $(field Recommends)" == *", qemu-utils"* ]] || fail "Recommends lacks qemu-utils (serve)"

# --- 3. contents --------------------------------------------------------------
step "contents"
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
dpkg-deb -c "$deb" | awk '{print $6}' | grep -v -E '^\./(usr/.*)?$' &&
    fail "files outside /usr (listed above)"

shopt -s nullglob
desktops=("$root"/usr/share/applications/*.desktop)
shopt -u nullglob
[ ${#desktops[@]} -eq 1 ] || fail "expected one .desktop file, found ${#desktops[@]}"
desktop=${desktops[0]}
app_id=$(basename "$desktop" .desktop)
echo "application id: $app_id"
[[ "$app_id" =~ ^[a-z][a-z0-9]*(\.[A-Za-z][A-Za-z0-9_-]*){2,}$ ]] ||
    fail "$app_id is not a reverse-DNS id"

expect_file() { [ -f "$root/$1" ] || fail "missing in the package: /$1"; }
for bin in drivemirror drivemirror-cli; do
    expect_file "usr/bin/$bin"
    [ -x "$root/usr/bin/$bin" ] || fail "/usr/bin/$bin is not executable"
done
metainfo="usr/share/metainfo/$app_id.metainfo.xml"
expect_file "$metainfo"
expect_file "usr/share/icons/hicolor/scalable/apps/$app_id.svg"
for size in "${icon_sizes[@]}"; do
    png="usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
    expect_file "$png"
    file -b "$root/$png" | grep -q "PNG image data, $size x $size," ||
        fail "/$png is not a ${size}x${size} PNG: $(file -b "$root/$png")"
done
grep -qx "Icon=$app_id" "$desktop" || fail "the .desktop file's Icon is not $app_id"
exec_bin=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
expect_file "usr/bin/$exec_bin"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$root/$metainfo" ||
    fail "the metainfo does not launch $app_id.desktop"
grep -q "<id>$app_id</id>" "$root/$metainfo" || fail "the metainfo id is not $app_id"
grep -q "<release version=\"$version\"" "$root/$metainfo" ||
    fail "the metainfo has no release entry for $version (installer/*.metainfo.xml.in)"

policy="usr/share/polkit-1/actions/$app_id.policy"
expect_file "$policy"
xmllint --noout "$root/$policy" || fail "/$policy is not well-formed XML"
grep -q '<annotate key="org.freedesktop.policykit.exec.path">/usr/bin/drivemirror-cli</annotate>' \
    "$root/$policy" || fail "/$policy does not name /usr/bin/drivemirror-cli for pkexec"
grep -q '<allow_active>auth_admin_keep</allow_active>' "$root/$policy" ||
    fail "/$policy does not require an administrator (auth_admin_keep) in the active session"
for ctx in allow_any allow_inactive; do
    grep -q "<$ctx>auth_admin</$ctx>" "$root/$policy" ||
        fail "/$policy does not require an administrator for $ctx"
done

for page in drivemirror drivemirror-cli; do
    man_gz="usr/share/man/man1/$page.1.gz"
    expect_file "$man_gz"
    gzip -t "$root/$man_gz" || fail "/$man_gz is not valid gzip"
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
               "$root/$man_gz" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "/$man_gz: groff warnings: $warnings"
done

doc="usr/share/doc/drivemirror"
expect_file "$doc/copyright"
sed -n 1p "$root/$doc/copyright" |
    grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
    fail "/$doc/copyright is not machine-readable (DEP-5)"
expect_file "$doc/changelog.Debian.gz"
zcat "$root/$doc/changelog.Debian.gz" | sed -n 1p | grep -q "^drivemirror (${version}-1) " ||
    fail "changelog.Debian.gz does not start with ${version}-1 (installer/changelog)"
echo "all expected files present: binaries, .desktop, metainfo, SVG and" \
     "${#icon_sizes[@]} PNG icons, polkit action, 2 manual pages, copyright, changelog"

# --- 4. lintian ---------------------------------------------------------------
step "lintian"
# Errors and warnings fail; accepted ones are overridden, with the reason, in
# installer/lintian-overrides (shipped in the package). Info tags are shown.
# (--show-overrides would count the overridden tags towards --fail-on.)
lintian_rc=0
lintian --fail-on error,warning --display-info --tag-display-limit 0 "$deb" \
    >"$tmp/lintian.log" 2>&1 || lintian_rc=$?
grep -v '^running with root privileges' "$tmp/lintian.log" || true
[ "$lintian_rc" -eq 0 ] || fail "lintian reported errors or warnings (exit $lintian_rc)"
echo "lintian: no errors, no warnings; overridden on purpose:"
expect_file usr/share/lintian/overrides/drivemirror
sed 's/^/    /' "$root/usr/share/lintian/overrides/drivemirror"

# --- 5. desktop entry and AppStream metadata -----------------------------------
step "desktop-file-validate"
# It exits non-zero on errors only; warnings fail here too, hints are shown.
dfv_rc=0
dfv=$(desktop-file-validate "$desktop" 2>&1) || dfv_rc=$?
[ -z "$dfv" ] || echo "$dfv"
if [ "$dfv_rc" -ne 0 ] || grep -qE '(error|warning):' <<<"$dfv"; then
    fail "desktop-file-validate reported problems"
fi
echo "desktop-file-validate: $app_id.desktop is valid"

step "appstreamcli validate --no-net"
appstreamcli validate --no-net --pedantic "$root/$metainfo" ||
    fail "appstreamcli validate failed on the metainfo"
appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree failed"

# --- 6. install, run, remove --------------------------------------------------
step "dpkg -i"
we_installed=1
if ! dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
    cat "$tmp/dpkg.log"
    echo "note: dpkg -i left dependencies unmet; installing them with apt-get -f install"
    DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq || fail "apt-get -f install failed"
else
    cat "$tmp/dpkg.log"
fi
dpkg-query -W -f='${Status}' drivemirror | grep -qx 'install ok installed' ||
    fail "drivemirror is not installed after dpkg -i"

step "/usr/bin/drivemirror-cli --version"
out=$(/usr/bin/drivemirror-cli --version)
echo "$out"
[ "$out" = "drivemirror-cli $version" ] || fail "expected 'drivemirror-cli $version'"

step "/usr/bin/drivemirror-cli demo (32M)"
rc=0
timeout "$demo_timeout" /usr/bin/drivemirror-cli demo --size 32M --dir "$tmp/cli-demo" \
    --live 1 >"$tmp/cli-demo.log" 2>&1 || rc=$?
tail -n 5 "$tmp/cli-demo.log"
[ "$rc" -eq 0 ] || { cat "$tmp/cli-demo.log"; fail "drivemirror-cli demo exited with $rc"; }

step "/usr/bin/drivemirror --demo under Xvfb (64M)"
# The platform is forced to xcb so that the plugin the package depends on
# (qt6-qpa-plugins) is the one that runs, not a fallback.
mkdir -p "$tmp/home" "$tmp/runtime"
chmod 700 "$tmp/runtime"
rc=0
env -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/runtime" \
    timeout "$demo_timeout" xvfb-run -a -s "-screen 0 1280x900x24" \
    /usr/bin/drivemirror --demo --autostart --autocomplete 1 --quit-after-complete 1 \
    --demo-size 64M --demo-dir "$tmp/gui-demo" >"$tmp/gui-demo.log" 2>&1 || rc=$?
tail -n 8 "$tmp/gui-demo.log"
[ "$rc" -eq 0 ] || { cat "$tmp/gui-demo.log"; fail "drivemirror --demo exited with $rc"; }

step "pkexec /usr/bin/drivemirror-cli as an unprivileged user"
# The desktop app's path to a disk: a user's pkexec, authorised by the
# installed polkit actions (a rule stands in for the administrator's
# password; it names only DriveMirror's actions, so a yes proves that pkexec
# mapped `/usr/bin/drivemirror-cli inspect|mirror` to them), runs the CLI as
# root, which then reads and writes image files only as that user.
helper_user=drivemirror-test
rule=/etc/polkit-1/rules.d/00-drivemirror-packaging-test.rules
started_bus="" started_polkitd="" loop=""
pkexec_cleanup() {
    [ -z "$loop" ] || losetup -d "$loop" 2>/dev/null || true
    rm -f "$rule"
    [ -z "$started_polkitd" ] || kill "$started_polkitd" 2>/dev/null || true
    if [ -n "$started_bus" ]; then
        kill "$started_bus" 2>/dev/null || true
        sleep 0.2
        rm -f /run/dbus/pid
    fi
}
trap 'pkexec_cleanup; cleanup' EXIT
id "$helper_user" >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin "$helper_user"
cat >"$rule" <<RULE
polkit.addRule(function(action, subject) {
    if ((action.id == "io.github.drivemirror.mirror" ||
         action.id == "io.github.drivemirror.inspect") && subject.user == "$helper_user")
        return polkit.Result.YES;
});
RULE
if ! dbus-send --system --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
        org.freedesktop.DBus.GetId >/dev/null 2>&1; then
    mkdir -p /run/dbus
    rm -f /run/dbus/pid /run/dbus/system_bus_socket
    started_bus=$(dbus-daemon --system --fork --print-pid) || fail "cannot start the system bus"
fi
if ! pgrep -x polkitd >/dev/null; then
    /usr/lib/polkit-1/polkitd --no-debug >"$tmp/polkitd.log" 2>&1 &
    started_polkitd=$!
fi
for action in io.github.drivemirror.mirror io.github.drivemirror.inspect \
              io.github.drivemirror.station; do
    pkaction --action-id "$action" --verbose | sed -n '1,4p' ||
        fail "polkit does not know the installed action $action"
done
# No action names any other command: pkexec runs only inspect, mirror and
# station.
[ "$(pkaction --action-id io.github.drivemirror.mirror --verbose |
     grep -c 'exec.argv1 *-> *mirror')" = 1 ] || fail "the mirror action does not name argv1 mirror"
[ "$(pkaction --action-id io.github.drivemirror.station --verbose |
     grep -c 'exec.argv1 *-> *station')" = 1 ] ||
    fail "the station action does not name argv1 station"
as_user() { (cd / && runuser -u "$helper_user" -- "$@"); }
authorised=0
for _ in $(seq 100); do
    if out=$(as_user pkexec /usr/bin/drivemirror-cli inspect "$tmp/probe.img" --json 2>&1); then
        authorised=1
        break
    fi
    sleep 0.1
done
[ "$authorised" = 1 ] || fail "pkexec /usr/bin/drivemirror-cli was not authorised: $out"
echo "pkexec as $helper_user: $out"
dd if=/dev/urandom of="$tmp/disk.img" bs=1M count=24 status=none
truncate -s 32M "$tmp/disk.img"
loop=$(losetup --find --show "$tmp/disk.img") || fail "losetup failed"
mkdir -p "$tmp/user"
chown "$helper_user" "$tmp/user"
chmod 755 "$tmp"
rc=0
as_user pkexec /usr/bin/drivemirror-cli mirror "$loop" "$tmp/user/copy.img" --json \
    --complete-when-ready --verify --expect-id absent >"$tmp/pkexec-mirror.log" 2>&1 || rc=$?
tail -n 1 "$tmp/pkexec-mirror.log"
[ "$rc" -eq 0 ] || { cat "$tmp/pkexec-mirror.log"; fail "the mirror through pkexec exited $rc"; }
cmp "$loop" "$tmp/user/copy.img" || fail "the copy made through pkexec differs from $loop"
owner=$(stat -c %U "$tmp/user/copy.img")
# Any other command through pkexec: no action covers it, so pkexec refuses.
rc=0
as_user pkexec /usr/bin/drivemirror-cli demo --dir "$tmp/user/demo" >"$tmp/demo.log" 2>&1 || rc=$?
[ "$rc" -eq 126 ] || [ "$rc" -eq 127 ] || { cat "$tmp/demo.log"; fail "pkexec drivemirror-cli demo exited $rc, not 126/127"; }
[ ! -e "$tmp/user/demo" ] || fail "pkexec drivemirror-cli demo wrote $tmp/user/demo"
echo "pkexec drivemirror-cli demo: no action covers it, refused (exit $rc)"
[ "$owner" = "$helper_user" ] || fail "the copy belongs to $owner, not to $helper_user"
echo "a disk mirrored by $helper_user through pkexec: identical (cmp), owned by $owner"
# Another user, whom no rule lets in: no agent to ask, so pkexec refuses.
rc=0
(cd / && runuser -u nobody -- pkexec /usr/bin/drivemirror-cli inspect /nonexistent/probe.img) \
    >"$tmp/refused.log" 2>&1 || rc=$?
[ "$rc" -eq 126 ] || [ "$rc" -eq 127 ] || fail "pkexec for nobody exited $rc, not 126/127"
echo "pkexec for nobody: refused (exit $rc)"
pkexec_cleanup
loop=""
trap cleanup EXIT

step "dpkg -r drivemirror"
dpkg -r drivemirror
we_installed=0
status=$(dpkg-query -W -f='${Status}' drivemirror 2>/dev/null || true)
[[ "$status" != *" installed" ]] || fail "drivemirror still installed after dpkg -r: $status"
for f in /usr/bin/drivemirror /usr/bin/drivemirror-cli \
         "/usr/share/applications/$app_id.desktop" "/$policy"; do
    [ ! -e "$f" ] || fail "$f left behind by dpkg -r"
done

step "packaging test passed in ${SECONDS}s"
