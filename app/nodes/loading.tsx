function Block({ className }: { className: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
    />
  );
}

export default function NodesLoading() {
  return (
    <div className="flex flex-col gap-4">
      <p role="status" className="sr-only">
        Loading the node inventory…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
          <Block className="col-span-2 h-14 sm:col-span-3 lg:col-span-2" />
          <Block className="h-14" />
          <Block className="h-14" />
          <Block className="h-14" />
          <Block className="h-14" />
          <Block className="h-14" />
        </div>
        <Block className="h-5 w-56" />
        <Block className="h-[32rem]" />
      </div>
    </div>
  );
}
