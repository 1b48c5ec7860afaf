# By-hand reference generator (radlab): PyRadiomics' voxel-based feature
# classes on the synthetic volume of tests/lua/featuremap_pyrad.lua.  No test
# runs it; it made the literal expected values of that test.
# usage: run_voxel.py RADIUS MASKED(0/1) BIN(w<width>|c<count>) OUT.txt [force2d]
# Set-up (by hand): PYR=/tmp/pyr; git -C <pyradiomics mirror> archive HEAD radiomics | tar -x -C $PYR;
#   echo 'version = "local"' > $PYR/radiomics/_version.py; compile radiomics/src/_cmatrices.c + cmatrices.c
#   (and _cshape.c + cshape.c) with gcc -shared -fPIC -I/usr/include/python3.11 -I<numpy include> into
#   $PYR/radiomics/_cmatrices<EXT_SUFFIX>; copy SimpleITK.py (the stub next to this file) to $PYR.
# Output: one line per ROI voxel and feature: original_<class>_<Feature> x y z value (1-based).
import os, sys, numpy as np
sys.path.insert(0, os.environ.get('PYR', '/tmp/pyr'))
import SimpleITK as sitk
from radiomics import firstorder, glcm, glrlm, glszm, gldm, ngtdm
import radiomics.base as _B
class _Quiet:  # the checkout's dummy progress reporter does not take total=
    def __init__(self, *a, **k): pass
    def __enter__(self): return self
    def __exit__(self, *a): return False
    def update(self, n=1): pass
_B.getProgressReporter = _Quiet

NX, NY, NZ = 12, 12, 8
seed = 20261207
def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed // 65536 % n
img = np.zeros((NZ, NY, NX), dtype=np.float32)
msk = np.zeros((NZ, NY, NX), dtype=np.int32)
for k in range(NZ):
    for j in range(NY):
        for i in range(NX):
            img[k, j, i] = rnd(400) / 4.0 - 20
            # an irregular ROI: a slanted block with holes
            if 2 <= i <= 9 and 1 + k // 3 <= j <= 10 and 1 <= k <= 6 and rnd(4) != 0:
                msk[k, j, i] = 1
r = int(sys.argv[1]); masked = sys.argv[2] == '1'; b = sys.argv[3]
settings = dict(kernelRadius=r, maskedKernel=masked, initValue=0, voxelBased=True)
if b[0] == 'w': settings['binWidth'] = float(b[1:])
else: settings['binCount'] = int(b[1:])
if len(sys.argv) > 5 and sys.argv[5] == 'force2d': settings['force2D'] = True
# the extractor's crop: the ROI's box grown by r, clipped to the image
zz, yy, xx = np.where(msk == 1)
lo = [max(0, a.min() - r) for a in (zz, yy, xx)]
hi = [min(s - 1, a.max() + r) for a, s in zip((zz, yy, xx), (NZ, NY, NX))]
sl = tuple(slice(l, h + 1) for l, h in zip(lo, hi))
im = sitk.Image(img[sl], spacing=(0.8, 0.8, 1.5)); mk = sitk.Image(msk[sl], spacing=(0.8, 0.8, 1.5))
out = open(sys.argv[4], 'w')
for mod, name in ((firstorder, 'firstorder'), (glcm, 'glcm'), (glrlm, 'glrlm'), (glszm, 'glszm'),
                  (gldm, 'gldm'), (ngtdm, 'ngtdm')):
    cls = [c for n, c in vars(mod).items() if n.startswith('Radiomics') and n != 'RadiomicsFeaturesBase'][0]
    fc = cls(im, mk, **settings)
    fc.enableAllFeatures()
    for feat, val in fc.execute().items():
        a = val.arr
        for (k, j, i) in zip(zz, yy, xx):
            out.write('original_%s_%s %d %d %d %.17g\n' % (name, feat, i + 1, j + 1, k + 1,
                                                          a[k - lo[0], j - lo[1], i - lo[2]]))
