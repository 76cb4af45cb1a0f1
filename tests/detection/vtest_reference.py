"""What vtest.avi (Debian's opencv-doc: 768x576, 10 fps, about 80 s of people walking past a parked
van and car) shows, checked by hand: frames extracted with ffmpeg at those times, the detections
drawn on them with drawbox, and each box looked at. Boxes are in source pixels (x, y, width,
height); `normalised` turns them into fractions of the frame, as the API gives boxes.
"""

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
VEHICLES = {"car", "truck", "bus"}

# (time in seconds, box) of a person seen at that moment.
PEOPLE = [
    (10.0, (361, 193, 29, 86)),     # walking left, dark coat, left of the lamp post
    (10.0, (591, 151, 32, 73)),     # alone on the road, right of the group
    (60.0, (293, 426, 57, 150)),    # fair-haired woman at the bottom of the lawn
    (60.0, (460, 308, 49, 120)),    # red jacket, next to the tripod
    (60.0, (639, 296, 31, 115)),    # dark suit, right
]
# The parked white van (detected as truck or car) and the small car at the top right.
VAN = (649, 40, 74, 63)
CAR = (725, 47, 41, 50)


def iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = w * h
    return inter / (aw * ah + bw * bh - inter) if inter else 0.0


def normalised(box, width: int = 768, height: int = 576):
    x, y, w, h = box
    return (x / width, y / height, w / width, h / height)
