import { useEffect, useRef, useState } from 'react';

/** The bits of the Shape Detection API used here (Chrome, Edge and Safari on phones have it; Firefox does not). */
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorClass | undefined {
  return (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

/** True when this browser can read QR codes from the camera. */
export function canScanQr(): boolean {
  return detectorClass() !== undefined && typeof navigator !== 'undefined' && navigator.mediaDevices !== undefined;
}

/** The camera, read a few times a second until a QR code is seen; `onCode` gets its text. */
export function QrScan({ onCode, onClose }: { onCode: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    const detector = new Detector({ formats: ['qr_code'] });
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(
      (media) => {
        stream = media;
        if (stopped || !video.current) return media.getTracks().forEach((track) => track.stop());
        video.current.srcObject = media;
        void video.current.play();
        timer = setInterval(() => {
          if (!video.current) return;
          detector.detect(video.current).then(
            (codes) => {
              const text = codes[0]?.rawValue;
              if (text) onCode(text);
            },
            () => undefined,
          );
        }, 300);
      },
      () => setError('The camera is not available: type the code instead.'),
    );
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onCode]);

  return (
    <div className="qr-scan">
      {error ? <p role="alert">{error}</p> : <video ref={video} muted playsInline aria-label="Camera: point it at the QR code on the box" />}
      <button type="button" onClick={onClose}>
        Type the code instead
      </button>
    </div>
  );
}
