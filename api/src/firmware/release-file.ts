/**
 * The file `npm run firmware -- sign` writes beside an image and the api's
 * `firmware-add` reads: the manifest line, then the msig line.
 */
export interface SignedManifest {
  manifest: string;
  msig: string;
}

export function formatReleaseFile(signed: SignedManifest): string {
  return `${signed.manifest}\n${signed.msig}\n`;
}

export function parseReleaseFile(text: string): SignedManifest {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length !== 2) throw new Error('a release manifest file holds exactly two lines: the manifest, then its msig');
  return { manifest: lines[0] ?? '', msig: lines[1] ?? '' };
}
