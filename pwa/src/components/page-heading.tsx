import { useEffect, useRef, type ReactNode } from 'react';

let firstPage = true;

/**
 * A page's `<h1>`: sets the document title and, after in-app navigation, takes focus so that
 * screen readers announce the new page (the first page load keeps the browser's focus).
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Smartlock`;
  }, [title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
