function Block({ className }: { className: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
    />
  );
}

export default function Loading() {
  return (
    <div className="flex flex-col gap-6">
      <p role="status" className="sr-only">
        Computing the plan…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-6">
        <Block className="h-8 w-72 max-w-full" />
        <div className="grid grid-cols-1 gap-8 lg:grid-cols-[21rem_minmax(0,1fr)]">
          <Block className="h-[36rem]" />
          <div className="flex flex-col gap-4">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
              <Block className="h-40" />
              <Block className="h-40" />
              <Block className="h-40" />
            </div>
            <Block className="h-64" />
            <Block className="h-80" />
          </div>
        </div>
      </div>
    </div>
  );
}
