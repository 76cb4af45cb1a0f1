/**
 * Which cameras the Playback page shows: a checklist (one or several). The first checked camera,
 * or the one the user clicked last on the ruler, is the one that plays; the others show their
 * footage on the ruler and go into multi-camera clip downloads.
 */
import type { Camera } from '../../api/types';

interface Props {
  cameras: Camera[];
  selected: string[];
  focusedId: string | null;
  onToggle: (camera: Camera, on: boolean) => void;
  onFocus: (camera: Camera) => void;
}

export function CameraPicker({ cameras, selected, focusedId, onToggle, onFocus }: Props) {
  const chosen = new Set(selected);
  return (
    <div className="playback-cameras" data-testid="camera-picker">
      <h3>Cameras</h3>
      <ul>
        {cameras.map((camera) => {
          const on = chosen.has(camera.id);
          const id = `pick-${camera.id}`;
          return (
            <li key={camera.id} className={`playback-camera${camera.id === focusedId ? ' focused' : ''}`} data-testid="picker-camera" data-camera-name={camera.name} data-selected={on}>
              <input id={id} type="checkbox" checked={on} onChange={(e) => onToggle(camera, e.target.checked)} />
              <label htmlFor={id}>{camera.name}</label>
              {on && selected.length > 1 && (
                <button
                  type="button"
                  className={`playback-camera-play${camera.id === focusedId ? ' active' : ''}`}
                  onClick={() => onFocus(camera)}
                  aria-pressed={camera.id === focusedId}
                  title={camera.id === focusedId ? 'Playing this camera' : 'Play this camera'}
                  data-testid="picker-focus"
                >
                  ▶
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
