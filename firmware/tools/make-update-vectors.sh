#!/usr/bin/env bash
# Regenerates docs/firmware-update-vectors.json with openssl only: a TEST-ONLY release key pair,
# a tiny image, manifests signed with it and a few that must fail.
#
#   THE KEY IN firmware/tools/test-release-key.pem IS FOR TESTS ONLY. It is public, so anything it
#   signs is worthless: never configure it as FIRMWARE_PUBLIC_KEY or compile it into a real lock.
#
# ECDSA signatures are randomised: each run gives new "msig" values, all valid. The C++ verifier
# (firmware/test/update_vectors_test.cpp) and the api check the cases.
# Usage: firmware/tools/make-update-vectors.sh [output]  (default: <repo>/docs/firmware-update-vectors.json)
set -euo pipefail
command -v openssl >/dev/null || { echo "make-update-vectors: openssl is required" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../docs/firmware-update-vectors.json}"
key="$here/test-release-key.pem"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$key" ]; then
  { echo "TEST ONLY release key (firmware/tools/make-update-vectors.sh): published, never use it for real releases."
    openssl ecparam -name prime256v1 -genkey -noout; } > "$key"
fi

# The uncompressed point is the last 65 bytes of the DER SubjectPublicKeyInfo (91 bytes for P-256).
openssl ec -in "$key" -pubout -outform DER -out "$tmp/spki.der" 2>/dev/null
spki_b64=$(base64 -w0 "$tmp/spki.der")
point_hex=$(tail -c 65 "$tmp/spki.der" | od -An -v -tx1 | tr -d ' \n')
pem=$(openssl ec -in "$key" -pubout 2>/dev/null | awk '{printf "%s\\n", $0}')

# The virtual lock reads its version from the first line of an image (firmware/host/).
image_text=$'smartlock-virtual-image fw=1.1.0\nTEST IMAGE, not firmware.\n'
printf '%s' "$image_text" > "$tmp/image"
image_hex=$(od -An -v -tx1 "$tmp/image" | tr -d ' \n')
size=$(wc -c < "$tmp/image" | tr -d ' ')
sha=$(openssl dgst -sha256 -r "$tmp/image" | cut -d' ' -f1)

# msig: raw r||s, each left-padded to 32 bytes, from openssl's DER signature.
msig() {
  printf '%s' "$1" > "$tmp/m"
  openssl dgst -sha256 -sign "$key" -out "$tmp/sig.der" "$tmp/m"
  openssl asn1parse -inform DER -in "$tmp/sig.der" | awk -F: '/INTEGER/ {print $NF}' |
    while read -r n; do printf '%064s' "$n" | tr ' ' 0; done | tr 'A-F' 'a-f'
}
# The signature with its last bit flipped.
flip() { local s=$1 last=${1: -1}; printf '%s%x' "${s%?}" $(( 0x$last ^ 1 )); }

MAN="sl-fw1;hw=esp32;fw=1.1.0;arc=2;size=$size;sha256=$sha"
OLDER="sl-fw1;hw=esp32;fw=0.9.0;arc=1;size=$size;sha256=$sha"
OTHER_HW="sl-fw1;hw=esp32-c3;fw=1.1.0;arc=2;size=$size;sha256=$sha"
good=$(msig "$MAN")
older=$(msig "$OLDER")
other=$(msig "$OTHER_HW")

# openssl checks raw r||s by rebuilding the DER it needs (as docs/protocol.md shows by hand).
openssl ec -in "$key" -pubout -out "$tmp/pub.pem" 2>/dev/null
verifies() {
  printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "${2:0:64}" "${2:64:64}" > "$tmp/sig.cnf"
  openssl asn1parse -genconf "$tmp/sig.cnf" -out "$tmp/check.der" -noout &&
    printf '%s' "$1" | openssl dgst -sha256 -verify "$tmp/pub.pem" -signature "$tmp/check.der" >/dev/null 2>&1
}
for pair in "$MAN|$good" "$OLDER|$older" "$OTHER_HW|$other"; do
  verifies "${pair%%|*}" "${pair##*|}" || { echo "make-update-vectors: openssl rejects its own signature" >&2; exit 1; }
done
if verifies "$MAN" "$(flip "$good")"; then echo "make-update-vectors: a flipped signature verified" >&2; exit 1; fi

case_() { printf '    {"name":"%s","manifest":"%s","msig":"%s","verdict":"%s"}' "$1" "$2" "$3" "$4"; }
{
  printf '{\n'
  printf '  "comment":"TEST ONLY: the private key of this public key is in firmware/tools/test-release-key.pem, published. Never trust it on a real lock or api. Regenerate with firmware/tools/make-update-vectors.sh.",\n'
  printf '  "publicKeyHex":"%s",\n' "$point_hex"
  printf '  "publicKeySpkiBase64":"%s",\n' "$spki_b64"
  printf '  "publicKeyPem":"%s",\n' "$pem"
  printf '  "image":{"hex":"%s","size":%s,"sha256":"%s"},\n' "$image_hex" "$size" "$sha"
  printf '  "cases":[\n'
  case_ "valid release 1.1.0, arc 2" "$MAN" "$good" "valid"; printf ',\n'
  case_ "valid but older (arc 1): a lock at arc 2 refuses it as downgrade" "$OLDER" "$older" "valid"; printf ',\n'
  case_ "valid but for other hardware: wrong_hw" "$OTHER_HW" "$other" "valid"; printf ',\n'
  case_ "last bit of msig flipped" "$MAN" "$(flip "$good")" "bad_signature"; printf ',\n'
  case_ "manifest changed after signing (arc 3)" "${MAN/arc=2/arc=3}" "$good" "bad_signature"; printf ',\n'
  case_ "signature of another manifest" "$MAN" "$older" "bad_signature"; printf '\n'
  printf '  ]\n}\n'
} > "$out"
echo "wrote $out"
