function Block({ className }: { className: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
    />
  );
}

/** Placeholder with the shape of the timeline and charts while history loads. */
export function PanelsSkeleton() {
  return (
    <div className="flex flex-col gap-6">
      <p role="status" className="sr-only">
        Loading history…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-6">
        <Block className="h-28" />
        <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
          <Block className="h-80" />
          <Block className="h-80" />
        </div>
        <Block className="h-80" />
      </div>
    </div>
  );
}
