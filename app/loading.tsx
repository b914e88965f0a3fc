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
        Loading the cluster status…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-6">
        <Block className="h-8 w-80 max-w-full" />
        <div className="grid grid-cols-1 gap-8 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <div className="flex flex-col gap-4">
            <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
              <Block className="h-40" />
              <Block className="h-40" />
            </div>
            <Block className="h-24" />
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
              <Block className="h-48" />
              <Block className="h-48" />
              <Block className="h-48" />
            </div>
          </div>
          <div className="flex flex-col gap-4">
            <Block className="h-56" />
            <Block className="h-72" />
          </div>
        </div>
      </div>
    </div>
  );
}
