import RoninVision

/// The YOLO detector is what the pipeline runs in production.
extension YOLODetector: ObjectDetecting {}
