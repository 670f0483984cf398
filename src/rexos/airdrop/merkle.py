"""A Merkle tree whose roots, proofs and JSON dump are OpenZeppelin's ``StandardMerkleTree``.

The airdrop distributor commits to its claims with one root; claimants prove their leaf
against it on chain with OpenZeppelin's ``MerkleProof``. Matching the npm package
``@openzeppelin/merkle-tree`` (format ``standard-v1``) exactly lets anyone rebuild and check
our tree with the tool they already trust; ``tests/unit/airdrop/test_merkle.py`` compares
roots, proofs and dumps against that package.

The format, as that package defines it:

* a leaf is ``keccak256(keccak256(abi.encode(types, value)))`` (hashing twice keeps a leaf
  from ever reading as a 64-byte internal node);
* an internal node is ``keccak256`` of its two children, the smaller first (so a proof needs
  no left/right flags);
* the tree is one array of ``2n - 1`` nodes, node ``i`` has children ``2i + 1`` and ``2i + 2``,
  the root is node 0, and the leaves, sorted by hash (ties keep their input order), fill the
  end of the array backwards: the smallest hash is the last node;
* a proof is the siblings on the way from a leaf up to the root.

Duplicate values are allowed, as OpenZeppelin allows them: each gets its own leaf, and a
proof asked for by value is the one for the last duplicate. The distributor's leaves carry
their index, so they never repeat.

Static leaf types (``uintN``, ``intN``, ``address``, ``bool``, ``bytesN``) are encoded here
word by word, which builds a 100,000-leaf (index, account, amount) tree in seconds; any other
type (``string``, ``bytes``, arrays, tuples) goes through ``eth_abi``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from eth_abi.abi import encode as abi_encode
from eth_abi.exceptions import ABITypeError
from eth_abi.grammar import ABIType, BasicType, TupleType, parse
from eth_hash.auto import keccak

from rexos.errors import InvalidAddress, UsageError

__all__ = ["FORMAT", "StandardMerkleTree", "verify_proof"]

FORMAT = "standard-v1"
_WORD = 32
_STATIC = frozenset({"uint", "int", "address", "bool", "bytes"})


def _node_hash(a: bytes, b: bytes) -> bytes:
    return keccak(a + b if a <= b else b + a)


def _node(text: object, what: str) -> bytes:
    """A 32-byte node given as 0x-hex (or bytes)."""
    if isinstance(text, bytes):
        raw = text
    elif isinstance(text, str) and text[:2] == "0x":
        try:
            raw = bytes.fromhex(text[2:])
        except ValueError:
            raw = b""
    else:
        raw = b""
    if len(raw) != _WORD:
        raise UsageError(f"{what} is not a 32-byte 0x-hex hash: {text!r}")
    return raw


def verify_proof(root: str | bytes, leaf_hash: str | bytes, proof: Sequence[str | bytes]) -> bool:
    """Whether ``proof`` carries ``leaf_hash`` up to ``root`` (as ``MerkleProof.verify`` does)."""
    node = _node(leaf_hash, "leaf hash")
    for k, sibling in enumerate(proof):
        node = _node_hash(node, _node(sibling, f"proof[{k}]"))
    return node == _node(root, "root")


def _name(t: ABIType) -> str:
    return str(t.to_type_str())  # type: ignore[no-untyped-call]


def _parse_int(value: object, bits: int, signed: bool) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value, 16) if value[:2] in ("0x", "-0x") else int(value, 10)
        except ValueError:
            raise UsageError(f"not an integer: {value!r}") from None
    else:
        raise UsageError(f"not an integer: {value!r}")
    low, high = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
    if not low <= number < high:
        raise UsageError(f"{number} does not fit {'int' if signed else 'uint'}{bits}")
    return number


def _address_bytes(value: object) -> bytes:
    if isinstance(value, str) and len(value) == 42 and value[:2] == "0x":
        try:
            raw = bytes.fromhex(value[2:])
        except ValueError:
            raw = b""
        if len(raw) == 20:
            return raw
    raise InvalidAddress(f"not an address: {value!r} (expected 0x followed by 40 hex digits)")


def _native_basic(t: BasicType, value: object) -> object:
    """A JSON or Python value of a non-array basic type, checked, in its Python form."""
    if t.base in ("uint", "int"):
        assert isinstance(t.sub, int)
        return _parse_int(value, t.sub, t.base == "int")
    if t.base == "address":
        _address_bytes(value)
        return value  # kept as written (checksummed or not), as OpenZeppelin's dump keeps it
    if t.base == "bool":
        if not isinstance(value, bool):
            raise UsageError(f"not a bool: {value!r}")
        return value
    if t.base == "string":
        if not isinstance(value, str):
            raise UsageError(f"not a string: {value!r}")
        return value
    if t.base == "bytes":
        raw = value if isinstance(value, bytes) else None
        if isinstance(value, str) and value[:2] == "0x" and len(value) % 2 == 0:
            try:
                raw = bytes.fromhex(value[2:])
            except ValueError:
                raw = None
        if raw is None or (isinstance(t.sub, int) and len(raw) != t.sub):
            raise UsageError(f"not {_name(t)} as 0x-hex: {value!r}")
        return raw
    raise UsageError(f"unsupported leaf type {_name(t)!r}")


def _walk(t: ABIType, value: object, leaf: Callable[[BasicType, object], object]) -> object:
    """Apply ``leaf`` to each basic value inside ``value`` (arrays and tuples become lists)."""
    if t.is_array:
        if not isinstance(value, (list, tuple)):
            raise UsageError(f"not an array for {_name(t)}: {value!r}")
        size = t.arrlist[-1] if t.arrlist else ()
        if size and len(value) != size[0]:
            raise UsageError(f"{_name(t)} needs {size[0]} items, got {len(value)}")
        return [_walk(t.item_type, item, leaf) for item in value]
    if isinstance(t, TupleType):
        if not isinstance(value, (list, tuple)) or len(value) != len(t.components):
            raise UsageError(f"not a {_name(t)} tuple: {value!r}")
        return [_walk(c, v, leaf) for c, v in zip(t.components, value, strict=True)]
    assert isinstance(t, BasicType)
    return leaf(t, value)


def _json_basic(t: BasicType, value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def _abi_basic(t: BasicType, value: object) -> object:
    return _address_bytes(value) if t.base == "address" else value


def _word(t: BasicType) -> Callable[[object], bytes] | None:
    """The one-word ABI encoder of a static basic type, or None when eth_abi must encode it."""
    if t.is_array or t.base not in _STATIC or (t.base == "bytes" and t.sub is None):
        return None
    if t.base == "uint":
        return lambda v: v.to_bytes(_WORD, "big")  # type: ignore[attr-defined]
    if t.base == "int":
        return lambda v: (v % (1 << 256)).to_bytes(_WORD, "big")  # type: ignore[operator]
    if t.base == "address":
        return lambda v: bytes(12) + bytes.fromhex(v[2:])  # type: ignore[index]
    if t.base == "bool":
        return lambda v: (1 if v else 0).to_bytes(_WORD, "big")
    return lambda v: v.ljust(_WORD, b"\0")  # type: ignore[attr-defined]


class _LeafEncoding:
    """Checks, hashes and serialises leaf values of one list of Solidity types."""

    def __init__(self, types: Sequence[str]) -> None:
        if isinstance(types, str) or not types:
            raise UsageError("leaf types must be a non-empty list of Solidity types")
        self.types = tuple(types)
        try:
            self.parsed = [parse(t) for t in self.types]
            for t in self.parsed:
                t.validate()
        except (ABITypeError, ValueError) as exc:
            raise UsageError(f"invalid leaf types {list(self.types)}: {exc}") from exc
        words = [_word(t) if isinstance(t, BasicType) else None for t in self.parsed]
        self.words = None if None in words else [w for w in words if w is not None]

    def native(self, value: object, where: str) -> tuple[object, ...]:
        if not isinstance(value, (list, tuple)) or len(value) != len(self.types):
            raise UsageError(f"{where}: expected {len(self.types)} fields {list(self.types)}")
        try:
            pairs = zip(self.parsed, value, strict=True)
            return tuple(_walk(t, v, _native_basic) for t, v in pairs)
        except UsageError as exc:
            raise type(exc)(f"{where}: {exc}") from None

    def hash(self, native: tuple[object, ...]) -> bytes:
        if self.words is not None:
            data = b"".join([w(v) for w, v in zip(self.words, native, strict=True)])
        else:
            pairs = zip(self.parsed, native, strict=True)
            data = abi_encode(list(self.types), [_walk(t, v, _abi_basic) for t, v in pairs])
        return keccak(keccak(data))

    def json(self, native: tuple[object, ...]) -> list[object]:
        return [_walk(t, v, _json_basic) for t, v in zip(self.parsed, native, strict=True)]


def _build(leaves: Sequence[bytes]) -> tuple[list[bytes], list[int]]:
    """The node array over ``leaves`` and each value's node index, as OpenZeppelin lays it out."""
    n = len(leaves)
    tree: list[bytes] = [b""] * (2 * n - 1)
    where = [0] * n
    last = len(tree) - 1
    for rank, i in enumerate(sorted(range(n), key=leaves.__getitem__)):
        tree[last - rank] = leaves[i]
        where[i] = last - rank
    for i in range(n - 2, -1, -1):
        tree[i] = _node_hash(tree[2 * i + 1], tree[2 * i + 2])
    return tree, where


class StandardMerkleTree:
    """OpenZeppelin's ``StandardMerkleTree``: build with :meth:`of`, reload with :meth:`load`."""

    def __init__(
        self,
        encoding: _LeafEncoding,
        tree: list[bytes],
        values: list[tuple[object, ...]],
        where: list[int],
    ) -> None:
        self._encoding = encoding
        self._tree = tree
        self._values = values
        self._where = where
        self._lookup: dict[bytes, int] | None = None

    @classmethod
    def of(cls, values: Sequence[Sequence[object]], types: Sequence[str]) -> StandardMerkleTree:
        """Build the tree of ``values``, each a sequence of fields of ``types``.

        Integers may be ``int`` or decimal/0x strings; addresses are 0x-hex strings (kept as
        written; a mixed-case checksum is not checked, as OpenZeppelin does not check it, so
        check addresses first, e.g. with :func:`rexos.types.parse_address`); ``bytes`` values
        are ``bytes`` or 0x-hex. Raises :class:`UsageError` on the
        first value that does not fit, naming its position.
        """
        encoding = _LeafEncoding(types)
        if not values:
            raise UsageError("a Merkle tree needs at least one value")
        natives = [encoding.native(v, f"value {i}") for i, v in enumerate(values)]
        leaves = [encoding.hash(v) for v in natives]
        tree, where = _build(leaves)
        return cls(encoding, tree, natives, where)

    @classmethod
    def load(cls, data: Mapping[str, object]) -> StandardMerkleTree:
        """Rebuild a tree from :meth:`dump`'s (or OpenZeppelin's) JSON, checking every hash."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise UsageError(f"not a {FORMAT} Merkle tree dump")
        types, nodes, entries = data.get("leafEncoding"), data.get("tree"), data.get("values")
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise UsageError("the dump's leafEncoding is not a list of types")
        if not isinstance(nodes, list) or not nodes or not isinstance(entries, list):
            raise UsageError("the dump needs a non-empty tree and a list of values")
        encoding = _LeafEncoding(types)
        tree = [_node(node, f"tree[{i}]") for i, node in enumerate(nodes)]
        for i in range(len(tree)):
            left, right = 2 * i + 1, 2 * i + 2
            if left < len(tree) and (
                right >= len(tree) or tree[i] != _node_hash(tree[left], tree[right])
            ):
                raise UsageError(f"the dump's tree is invalid at node {i}")
        values: list[tuple[object, ...]] = []
        where: list[int] = []
        for i, entry in enumerate(entries):
            index = entry.get("treeIndex") if isinstance(entry, Mapping) else None
            if not isinstance(entry, Mapping) or not isinstance(index, int):
                raise UsageError(f"values[{i}] needs a value and a treeIndex")
            native = encoding.native(entry.get("value"), f"values[{i}]")
            if not 0 <= index < len(tree) or tree[index] != encoding.hash(native):
                raise UsageError(f"values[{i}] is not the leaf at tree index {index}")
            values.append(native)
            where.append(index)
        return cls(encoding, tree, values, where)

    @staticmethod
    def verify(
        root: str | bytes, types: Sequence[str], value: Sequence[object], proof: Sequence[str]
    ) -> bool:
        """Whether ``proof`` shows ``value`` (of ``types``) to be a leaf under ``root``."""
        encoding = _LeafEncoding(types)
        return verify_proof(root, encoding.hash(encoding.native(value, "value")), proof)

    @property
    def root(self) -> str:
        """The root as 0x-hex: what the distributor contract stores."""
        return "0x" + self._tree[0].hex()

    @property
    def types(self) -> tuple[str, ...]:
        """The leaf encoding: one Solidity type per field."""
        return self._encoding.types

    def __len__(self) -> int:
        return len(self._values)

    def at(self, index: int) -> tuple[object, ...]:
        """The value at ``index`` in input order."""
        return self._values[self._index(index)]

    def entries(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        """``(index, value)`` for every value in input order (integers as ``int``)."""
        return iter(enumerate(self._values))

    def leaf_hash(self, value: Sequence[object]) -> bytes:
        """The leaf hash of ``value`` under this tree's types (it need not be in the tree)."""
        return self._encoding.hash(self._encoding.native(value, "value"))

    def proof(self, value: int | Sequence[object]) -> list[str]:
        """The proof (0x-hex siblings, leaf upwards) of the value at an index, or of a value."""
        if isinstance(value, bool) or not isinstance(value, int | Sequence):
            raise UsageError(f"not an index or a value: {value!r}")
        if isinstance(value, int):
            index = self._index(value)
        else:
            if self._lookup is None:
                self._lookup = {self._tree[n]: i for i, n in enumerate(self._where)}
            found = self._lookup.get(self.leaf_hash(value))
            if found is None:
                raise UsageError(f"not a value of this tree: {value!r}")
            index = found
        node, proof = self._where[index], []
        while node > 0:
            proof.append("0x" + self._tree[node + 1 if node % 2 else node - 1].hex())
            node = (node - 1) // 2
        return proof

    def dump(self) -> dict[str, object]:
        """The tree in OpenZeppelin's ``standard-v1`` JSON (integers as decimal strings)."""
        return {
            "format": FORMAT,
            "leafEncoding": list(self._encoding.types),
            "tree": ["0x" + node.hex() for node in self._tree],
            "values": [
                {"value": self._encoding.json(v), "treeIndex": n}
                for v, n in zip(self._values, self._where, strict=True)
            ],
        }

    def _index(self, index: int) -> int:
        if not 0 <= index < len(self._values):
            raise UsageError(f"no value at index {index} (the tree has {len(self._values)})")
        return index
