/** What a lazily loaded page shows while its code arrives (announced politely, like any status). */
export function PageLoading() {
  return (
    <p className="muted" role="status">
      Loading…
    </p>
  );
}
