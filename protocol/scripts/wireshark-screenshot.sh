#!/usr/bin/env bash
# Reproduces protocol/docs/wireshark-band-advert.png: real Wireshark (Debian's, Qt) under Xvfb
# opens a capture of protocol/vectors' band adverts with the built dissector
# (dist/wireshark/leiden-iot.lua) and the vectors' keys, expands the band advert's Link Layer
# tree down to the liot.* fields, selects liot.steps and screenshots the window.
# Docs tooling only: CI does not run it. Usage (from anywhere): protocol/scripts/wireshark-screenshot.sh [out.png]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$here/docs/wireshark-band-advert.png}")"
plugin="$here/dist/wireshark/leiden-iot.lua"

missing=()
for tool in wireshark:wireshark Xvfb:xvfb xdotool:xdotool import:imagemagick convert:imagemagick; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
# /usr/local/bin/convert may be a stand-in: the real one is ImageMagick's
if [ -e /usr/bin/convert ]; then convert=/usr/bin/convert; else convert=convert; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}. Install with:" >&2
  echo "  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')" >&2
  exit 1
fi
[ -f "$plugin" ] || { echo "$plugin is missing: run npm run build first" >&2; exit 1; }

work="$(mktemp -d)"
xvfb_pid=""
ws_pid=""
cleanup() {
  [ -n "$ws_pid" ] && kill "$ws_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The capture and the -o options with the vectors' master key, pseudonym scope and device ids
cd "$here"
mapfile -t prefs < <(node --conditions=source --import tsx scripts/write-band-capture.ts "$work/band-adverts.pcap")
opts=()
for p in "${prefs[@]}"; do opts+=(-o "$p"); done

# A private HOME: window size, panes and time format fixed, none of the user's profile or plugins
mkdir -p "$work/home/.config/wireshark"
cat >"$work/home/.config/wireshark/recent_common" <<'RECENT'
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1000
gui.geometry_main_height: 945
gui.geometry_main_maximized: FALSE
RECENT
cat >"$work/home/.config/wireshark/recent" <<'RECENT'
gui.byte_view_show: FALSE
gui.packet_diagram_show: FALSE
gui.time_format: UTC_WITH_YMD
gui.geometry_main_upper_pane: 130
RECENT
export HOME="$work/home" XDG_RUNTIME_DIR="$work" LC_ALL=C.UTF-8

display=""
for n in $(seq 90 130); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || { echo "no free X display between :90 and :130" >&2; exit 1; }
Xvfb "$display" -screen 0 1000x945x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"

# Packet 2 of the capture: "with yesterday in the backlog" (today plus one backlog day)
wireshark -r "$work/band-adverts.pcap" -X "lua_script:$plugin" "${opts[@]}" \
  -o gui.layout_type:1 -g 2 >"$work/wireshark.log" 2>&1 &
ws_pid=$!

win=""
for _ in $(seq 60); do
  win="$(xdotool search --onlyvisible --name 'band-adverts.pcap' 2>/dev/null | head -1 || true)"
  [ -n "$win" ] && break
  sleep 0.5
done
[ -n "$win" ] || { echo "Wireshark showed no window; its log:" >&2; cat "$work/wireshark.log" >&2; exit 1; }
sleep 3 # let it finish dissecting and drawing

key() { xdotool key --delay 80 "$@"; sleep 0.3; }
xdotool windowfocus "$win" 2>/dev/null || true
# Click the first row of the packet details (Frame) to focus that tree, then with the keyboard:
# End = last top-level item (Bluetooth Low Energy Link Layer), Shift+Right = expand its subtrees,
# collapse Packet Header and the Flags AD, and walk down to liot.steps.
xdotool mousemove --window "$win" 300 331 click 1
sleep 0.5
key End shift+Right
key Down Down Left # Packet Header
key Down Down Down Left # Advertising Data > Flags
key Down Down Down Down Down Down Down Down Down Down Down Down # ... > Leiden IoT > Steps
xdotool mousemove --window "$win" 995 940
sleep 1

mkdir -p "$(dirname "$out")"
import -window "$win" "$work/shot.png"
# 64 colours: text on flat backgrounds loses nothing and the file stays small
"$convert" "$work/shot.png" -strip -colors 64 "PNG8:$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
