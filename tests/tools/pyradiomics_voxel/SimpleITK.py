# By-hand stub of the few SimpleITK calls PyRadiomics' feature classes make in
# voxel-based mode (radlab: tests/tools/pyradiomics_voxel, reference generation only, never run by tests).
import numpy as np

class Image:
    def __init__(self, arr, spacing=(1.0, 1.0, 1.0)):
        self.arr = np.asarray(arr)
        self.spacing = tuple(float(s) for s in spacing)
        self.origin = (0.0, 0.0, 0.0)
        self.direction = (1.0, 0, 0, 0, 1.0, 0, 0, 0, 1.0)
    def GetSpacing(self): return self.spacing
    def GetOrigin(self): return self.origin
    def GetDirection(self): return self.direction
    def GetSize(self): return tuple(int(s) for s in self.arr.shape[::-1])
    def GetDimension(self): return self.arr.ndim
    def CopyInformation(self, other):
        self.spacing, self.origin, self.direction = other.spacing, other.origin, other.direction
    def SetSpacing(self, s): self.spacing = tuple(s)

def GetArrayFromImage(img): return img.arr.copy()
def GetImageFromArray(arr): return Image(arr)

def __getattr__(name):
    return 0
