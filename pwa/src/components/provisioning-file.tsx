import { downloadText } from '../lib/download';
import { CopyButton } from './copy-button';

interface Props {
  fileName: string;
  text: string;
  /** The file left the page: downloaded or copied. */
  onSaved: () => void;
}

/** The whole set as one file for the provisioning tool (docs/provisioning.md), or as text to paste. */
export function ProvisioningFile({ fileName, text, onSaved }: Props) {
  return (
    <div className="provisioning">
      <p>
        Everything above in one file for the lock’s provisioning tool (<code>npm run provision</code>, over the lock’s USB
        port). It holds the secret: delete it once the lock is set up.
      </p>
      <button
        type="button"
        onClick={() => {
          downloadText(fileName, text);
          onSaved();
        }}
      >
        Download provisioning file
      </button>
      <details>
        <summary>Show as text</summary>
        <label htmlFor="provisioning-text">Provisioning file ({fileName})</label>
        <textarea id="provisioning-text" className="provisioning-text" readOnly rows={14} spellCheck={false} value={text} />
        <CopyButton label="Copy provisioning file" value={text} onCopied={onSaved} />
      </details>
    </div>
  );
}
