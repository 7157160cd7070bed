// The space a virtual table's rows off screen would take (see use-virtual-rows.ts).
export function SpacerRow({ heightPx, colSpan }: { heightPx: number; colSpan: number }) {
  if (heightPx <= 0) return null;
  return (
    <tr aria-hidden style={{ height: heightPx }}>
      <td colSpan={colSpan} className="p-0" />
    </tr>
  );
}
