#!/usr/bin/env python3
"""An independent, deliberately naive implementation of ALGORITHM.md (brute-force nearest sample,
no lattice tricks), used to produce the expected values embedded in tst_hypercodec.cpp.
Run: python3 reference_codec.py  (prints C++ initialisers)."""
import math


def codebook(cx, cy, l, U):
    m = math.ceil(math.sqrt(U))
    while (m - 1) * (m - 1) >= U and m > 1:
        m -= 1
    while m * m < U:
        m += 1
    d = l / m
    l1 = math.sqrt(l * l + d * d)
    sin_a = l / l1
    step = (l / sin_a) / m
    n = math.sqrt((l / m) * (l / m) + l * l)
    vx, vy = (l / m) / n * step, l / n * step
    pts = [(cx, cy)]
    for t in range(U):
        pts.append((math.fmod(t * vx, l) + (cx - l / 2), math.fmod(t * vy, l) + (cy - l / 2)))
    return pts


def encode(w, U, l, K):
    N = len(w)
    w = list(w)
    if N % 2:
        w.append(sum(w[:N]) / N)
    P = len(w) // 2
    pts = [(w[2 * i], w[2 * i + 1]) for i in range(P)]
    cx = sum(p[0] for p in pts) / P
    cy = sum(p[1] for p in pts) / P
    D = math.sqrt(max((p[0] - cx) ** 2 + (p[1] - cy) ** 2 for p in pts))
    inner = [abs(p[0] - cx) <= l / 2 and abs(p[1] - cy) <= l / 2 for p in pts]
    if all(inner):
        K = 0
    S = codebook(cx, cy, l, U)
    radii = [l / 2]
    if K:
        e = (D - l / 2) / K
        radii = [l / 2 + k * e for k in range(K + 1)]
        radii[K] = D
    idx = []
    for p, inn in zip(pts, inner):
        k = 0
        if not inn:
            r = math.sqrt((p[0] - cx) ** 2 + (p[1] - cy) ** 2)
            k = next(k for k in range(1, K + 1) if r <= radii[k])
        s = (l / 2) / radii[k] if k else 1.0
        q = (cx + s * (p[0] - cx), cy + s * (p[1] - cy))
        best, bj = None, 0
        for j, sp in enumerate(S):
            dx, dy = q[0] - sp[0], q[1] - sp[1]
            dd = dx * dx + dy * dy
            if best is None or dd < best:
                best, bj = dd, j
        idx.append(bj + (U + 1) * k)
    bits = max(1, max(idx).bit_length())
    dec = []
    for i in idx:
        k, j = divmod(i, U + 1)
        s = (l / 2) / radii[k] if k else 1.0
        dec += [cx + (S[j][0] - cx) / s, cy + (S[j][1] - cy) / s]
    return dict(cx=cx, cy=cy, D=D, K=K, idx=idx, bits=bits, dec=dec[:N])


if __name__ == "__main__":
    print("// codebook U=4 l=1 c=(0,0):", ["(%r, %r)" % p for p in codebook(0, 0, 1.0, 4)])
    cases = [
        ([0.1, -0.2, 0.05, 0.3, -0.4, 0.45, 0.0, 0.02, 1.5, -1.2, 0.2], 4, 1.0, 2),
        ([0.01, -0.02, 0.005, 0.03, -0.04, 0.045, 0.0, 0.002, 0.15, -0.12, 0.02, 0.3], 9, 0.1, 3),
        ([0.3, 0.1, -0.2, 0.25, 0.0, -0.05, 0.12, 0.33, -0.31, 0.07], 16, 1.0, 1),
    ]
    for w, U, l, K in cases:
        r = encode(w, U, l, K)
        print("w=%r U=%d l=%r K=%d" % (w, U, l, K))
        print("  cx=%r cy=%r D=%r K=%d bits=%d" % (r["cx"], r["cy"], r["D"], r["K"], r["bits"]))
        print("  idx=%r" % r["idx"])
        print("  dec=%r" % r["dec"])
