/** @jsxRuntime automatic @jsxImportSource hono/jsx */
type Operation = { summary?: string; description?: string; tags?: string[]; security?: unknown[]; requestBody?: { content?: Record<string, { schema?: unknown }> }; responses?: Record<string, { description?: string }> };
export type OpenApiDoc = { info: { title: string; version: string }; paths?: Record<string, Record<string, Operation>> };

/** The API reference, rendered on the server from the OpenAPI document the routes declare. */
export function ApiReference(props: { doc: OpenApiDoc }) {
  const ops = Object.entries(props.doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  return (
    <>
      <h1>{props.doc.info.title} <span class="muted">{props.doc.info.version}</span></h1>
      <p>
        Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a>. Admin routes take <code>Authorization: Bearer &lt;admin token&gt;</code>;
        device routes (<code>/v1/device/…</code>) take a project key the same way.
      </p>
      {ops.map(({ path, method, op }) => (
        <div class="endpoint">
          <div><span class="method">{method}</span> <code>{path}</code> {op.security ? <span class="muted">project key</span> : null}</div>
          <div>{op.summary}</div>
          {op.description && <div class="muted">{op.description}</div>}
          {op.requestBody?.content && (
            <details>
              <summary>Request body ({Object.keys(op.requestBody.content).join(', ')})</summary>
              <pre>{JSON.stringify(Object.values(op.requestBody.content)[0]?.schema, null, 2)}</pre>
            </details>
          )}
          <div class="muted">
            {Object.entries(op.responses ?? {}).map(([status, r]) => `${status} ${r.description ?? ''}`).join(' · ')}
          </div>
        </div>
      ))}
    </>
  );
}
