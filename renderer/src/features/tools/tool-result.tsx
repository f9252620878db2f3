/** A tool's result as people read it: text, images, resources, structured content; errors marked. */
import { ErrorState } from '../../components/ui/states';
import type { RecentCall } from '../../stores/tools.store';

type Block = { type: string; text?: unknown; data?: unknown; mimeType?: unknown; resource?: unknown; uri?: unknown; name?: unknown };

const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|svg\+xml)$/;

function ContentBlock({ block }: { block: Block }) {
  if (block.type === 'text' && typeof block.text === 'string')
    return <pre className="whitespace-pre-wrap break-words rounded-md bg-panel p-2 font-mono text-xs">{block.text}</pre>;
  if (block.type === 'image' && typeof block.data === 'string' && typeof block.mimeType === 'string' && IMAGE_TYPES.test(block.mimeType)) {
    return (
      <img
        alt="Image returned by the tool"
        src={`data:${block.mimeType};base64,${block.data}`}
        className="max-h-72 max-w-full rounded-md border border-line"
      />
    );
  }
  if (block.type === 'resource_link' && typeof block.uri === 'string') {
    return (
      <p className="text-xs">
        Resource link: <code>{block.uri}</code> {typeof block.name === 'string' ? `(${block.name})` : ''}
      </p>
    );
  }
  return <pre className="whitespace-pre-wrap break-words rounded-md bg-panel p-2 font-mono text-xs">{JSON.stringify(block, null, 2)}</pre>;
}

export function ToolResult({ call }: { call: RecentCall }) {
  if (call.error) return <ErrorState message={call.error} className="mt-2" />;
  const result = call.result?.result;
  if (!result) return null;
  return (
    <div className="mt-2 flex flex-col gap-2" data-testid="tool-result">
      {result.isError ? (
        <p role="alert" className="text-sm font-medium text-bad">
          The tool reported an error:
        </p>
      ) : null}
      {result.content.map((block, index) => (
        <ContentBlock key={index} block={block as Block} />
      ))}
      {result.structuredContent ? (
        <details open>
          <summary className="cursor-pointer text-xs font-medium">Structured content</summary>
          <pre className="mt-1 whitespace-pre-wrap rounded-md bg-panel p-2 font-mono text-xs">
            {JSON.stringify(result.structuredContent, null, 2)}
          </pre>
        </details>
      ) : null}
      {result.content.length === 0 && !result.structuredContent ? (
        <p className="text-xs text-muted">The tool answered with no content.</p>
      ) : null}
    </div>
  );
}
