import { useState } from 'react';

/** Copies `value` to the clipboard and says so (or says it could not). */
export function CopyButton({ label, value }: { label: string; value: string }) {
  const [result, setResult] = useState<string>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setResult('Copied');
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
