// The arrowhead every graph view puts on its edges (an SVG <marker>; reference it as url(#id)). Its size
// is in user units, so thick edges do not get giant heads.
export function ArrowMarker({ id, size = 9 }: { id: string; size?: number }) {
  return (
    <defs>
      <marker id={id} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth={size} markerHeight={size} orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" className="fill-slate-500 dark:fill-slate-400" />
      </marker>
    </defs>
  );
}
