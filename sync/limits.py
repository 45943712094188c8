"""Every bound the engine and its carriers put on what they read from outside (SPEC.md section 7,
"Limits"; TRANSPORT.md "Limits").

Each is checked before the memory it guards is allocated, and an excess is refused with
``TooLarge`` (code ``too_large``) naming the limit, never quoting the bytes that broke it.
"""

from __future__ import annotations

MiB = 1024 * 1024

#: a whole bundle, as a file or assembled from parts
MAX_BUNDLE_BYTES = 256 * MiB
#: sections in a bundle (or in its decrypted content)
MAX_SECTIONS = 100_000
#: certificates and revocations in one bundle together: a zone has a few dozen laptops, and
#: each one costs a signature check before anything else is read
MAX_TRUST_ITEMS = 4096
#: recipients one bundle is sealed to (section 7, "Encryption"): the city seals its stick to
#: every laptop of a zone, a few dozen; each costs ~250 bytes of header
MAX_RECIPIENTS = 256
#: the uncompressed body of one segment (its declared ``raw_len``)
MAX_SEGMENT_BODY = 64 * MiB
#: the uncompressed bodies of all segments of one bundle, together
MAX_BUNDLE_BODY = 256 * MiB
#: entries in one segment
MAX_SEGMENT_ENTRIES = 1_000_000
#: nesting of arrays and objects in any JSON a bundle carries (header, seen vector, certificate)
MAX_JSON_DEPTH = 16
#: length of any one JSON text in a bundle (a header is ~300 bytes, a seen vector ~50 per site)
MAX_JSON_BYTES = 1024 * 1024
#: A trust file holds the root and the certificates and revocations of a zone: a few KB each.
MAX_TRUST_FILE_BYTES = 4 * MiB
#: What one origin may have waiting here (held: verified but not applicable yet, for a gap, a
#: writer's unseen changes or a clock ahead): segments and stored bytes. The earliest are kept;
#: the rest are refused (``held_limit``) and come again once the gap fills, as the sender's
#: acknowledgements do not move past them. An honest laptop waits for one or two segments.
MAX_HELD_SEGMENTS = 64
MAX_HELD_BYTES = 24 * MiB
#: Rows of one origin parked here (their cells kept, out of the app table, because a parent is
#: missing or a required column has no value here): rows, and the bytes of their cells. What
#: an import would park beyond these is taken back in the same transaction and refused
#: (``held_limit``): it is not kept, so it is not relayed, and it comes again with the sender's
#: next bundle. An honest laptop parks a child only until its parent arrives.
MAX_PARKED_ROWS = 10_000
MAX_PARKED_BYTES = 24 * MiB
