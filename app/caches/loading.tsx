function Block({ className }: { className: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
    />
  );
}

export default function CachesLoading() {
  return (
    <div className="flex flex-col gap-4">
      <p role="status" className="sr-only">
        Loading the content caches…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-4">
        <Block className="h-5 w-48" />
        <Block className="h-40" />
        <Block className="h-5 w-40" />
        <Block className="h-16" />
      </div>
    </div>
  );
}
