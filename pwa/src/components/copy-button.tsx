import { useState } from 'react';

/** Copies `value` to the clipboard and says so (or says it could not); `onCopied` hears only a success. */
export function CopyButton({ label, value, onCopied }: { label: string; value: string; onCopied?: () => void }) {
  const [result, setResult] = useState<string>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setResult('Copied');
      onCopied?.();
    } catch {
      setResult('Could not copy: select the text and copy it by hand');
    }
  };
  return (
    <span className="copy">
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-result">
        {result}
      </span>
    </span>
  );
}
