/**
 * A sentence from the domain (warnings, gates, advice), with the `command` spans it quotes in
 * backticks shown as code rather than as literal backticks. Text only: nothing is parsed as HTML.
 */
export function Prose({ text }: { text: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code
            key={i}
            className="rounded bg-black/5 px-1 py-px font-mono text-[0.9em] dark:bg-white/10"
          >
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
