function Block({ className }: { className: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
    />
  );
}

export default function Loading() {
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <p role="status" className="sr-only">
        Reading the cluster…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-6">
        <Block className="h-8 w-80 max-w-full" />
        <Block className="h-6 w-full" />
        <Block className="h-72" />
      </div>
    </div>
  );
}
