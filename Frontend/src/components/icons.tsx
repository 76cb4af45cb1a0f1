/** Small inline SVG icons (stroke = currentColor), sized by CSS (`.icon`, 1em by default). */
import type { ReactNode } from 'react';

function Icon({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden={label ? undefined : true} aria-label={label} role={label ? 'img' : undefined}>
      {children}
    </svg>
  );
}

export function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <Icon>
      <path d="M4 9h4l5-4v14l-5-4H4z" />
      {on ? (
        <>
          <path d="M16.5 8.5a5 5 0 0 1 0 7" />
          <path d="M19 6a8.5 8.5 0 0 1 0 12" />
        </>
      ) : (
        <>
          <path d="M17 9.5l5 5" />
          <path d="M22 9.5l-5 5" />
        </>
      )}
    </Icon>
  );
}

export function ExpandIcon() {
  return (
    <Icon>
      <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
    </Icon>
  );
}

export function BackIcon() {
  return (
    <Icon>
      <path d="M15 5l-7 7 7 7" />
    </Icon>
  );
}

export function ChevronIcon({ direction }: { direction: 'left' | 'right' }) {
  return <Icon>{direction === 'left' ? <path d="M15 5l-7 7 7 7" /> : <path d="M9 5l7 7-7 7" />}</Icon>;
}

export function EyeIcon({ open }: { open: boolean }) {
  return (
    <Icon>
      <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
      {!open && <path d="M3 3l18 18" />}
    </Icon>
  );
}

export function SidebarIcon() {
  return (
    <Icon>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M9 4v16" />
    </Icon>
  );
}

export function ZoomIcon({ direction }: { direction: 'in' | 'out' }) {
  return (
    <Icon>
      <circle cx="11" cy="11" r="6.5" />
      <path d="M16 16l5 5M8 11h6" />
      {direction === 'in' && <path d="M11 8v6" />}
    </Icon>
  );
}

export function ResetIcon() {
  return (
    <Icon>
      <path d="M4 12a8 8 0 1 0 2.5-5.8" />
      <path d="M4 4v4.5h4.5" />
    </Icon>
  );
}

/** An n x n grid glyph for the layout buttons. */
export function GridIcon({ size }: { size: number }) {
  const cells: ReactNode[] = [];
  const gap = 1.5;
  const cell = (18 - gap * (size - 1)) / size;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      cells.push(<rect key={`${r}-${c}`} x={3 + c * (cell + gap)} y={3 + r * (cell + gap)} width={cell} height={cell} rx={0.8} fill="currentColor" stroke="none" />);
    }
  }
  return <Icon>{cells}</Icon>;
}
