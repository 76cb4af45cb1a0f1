/**
 * The picture zoom's controls in the stage's top-right corner: the magnification, zoom out, zoom
 * in and reset, each naming its key (Shift+Z, Z, 0) in its tooltip. They work by tap on a phone,
 * where wheel and keys are missing; pressing them never pans, plays or pauses the picture.
 */
import { ResetIcon, ZoomIcon } from '../../components/icons';
import { MAX_SCALE } from './pictureZoom';

interface Props {
  scale: number;
  onZoom: (direction: 1 | -1) => void;
  onReset: () => void;
}

export function PictureZoomControls({ scale, onZoom, onReset }: Props) {
  const zoomed = scale > 1;
  return (
    <div className="picture-zoom" role="group" aria-label="Picture zoom" data-testid="picture-zoom" data-no-pan onClick={(e) => e.stopPropagation()}>
      <span className="picture-zoom-level" data-testid="picture-zoom-level" data-scale={Math.round(scale * 1000) / 1000}>
        {scale.toFixed(1)}×
      </span>
      <button type="button" className="picture-zoom-button" onClick={() => onZoom(-1)} disabled={!zoomed} aria-label="Zoom picture out" title="Zoom picture out (Shift+Z)" data-testid="picture-zoom-out">
        <ZoomIcon direction="out" />
      </button>
      <button type="button" className="picture-zoom-button" onClick={() => onZoom(1)} disabled={scale >= MAX_SCALE} aria-label="Zoom picture in" title="Zoom picture in (Z, or the mouse wheel over the picture; drag to pan)" data-testid="picture-zoom-in">
        <ZoomIcon direction="in" />
      </button>
      <button type="button" className="picture-zoom-button" onClick={onReset} disabled={!zoomed} aria-label="Reset picture zoom" title="Reset picture zoom (0)" data-testid="picture-zoom-reset">
        <ResetIcon />
      </button>
    </div>
  );
}
