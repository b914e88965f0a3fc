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
        Writing the load balancer config…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-6">
        <Block className="h-8 w-72 max-w-full" />
        <div className="grid grid-cols-1 gap-8 lg:grid-cols-[19rem_minmax(0,1fr)]">
          <Block className="h-[32rem]" />
          <div className="flex flex-col gap-4">
            <Block className="h-24" />
            <Block className="h-[28rem]" />
            <Block className="h-40" />
          </div>
        </div>
      </div>
    </div>
  );
}
