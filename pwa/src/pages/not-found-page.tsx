import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';

export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>
        <Link href="/">Go to my locks</Link>
      </p>
    </>
  );
}
