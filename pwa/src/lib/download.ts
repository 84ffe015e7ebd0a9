/** Saves `text` as a file through a temporary link to an object URL (no server round trip: the text may be secret). */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Later rather than at once: some browsers start reading the object URL only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
