-- %% [markdown]
-- # 1. Images and masks
--
-- A radiomics analysis starts with two files per patient: an **image** (CT
-- intensities in Hounsfield units, HU) and a **mask** (a label per voxel saying
-- which voxels belong to the region of interest, the ROI). Both live on a
-- *grid* with a physical **geometry**. This notebook reads a generated CT and
-- its tumour mask from NIfTI files, looks at their geometry, converts between
-- voxel indices and world coordinates, and draws slices with the mask's contour.

-- %%
-- A scratch folder for everything this notebook writes.
local dir = os.tmpname(); os.remove(dir); os.execute("mkdir -p '" .. dir .. "'")
-- One synthetic neuroblastoma patient: a CT volume and its tumour mask as NIfTI.
local cohort = rad.demo.neuroblastoma{n = 1, seed = 7, dir = dir}
local image_path = dir .. "/" .. cohort:get(1, "image")
local mask_path = dir .. "/" .. cohort:get(1, "mask")
print(image_path); print(mask_path)

-- %% [markdown]
-- `rad.read` reads an image as float32 voxels; `rad.read_mask` reads a label
-- mask and selects a label (here 1, the tumour). Printing an object shows its
-- grid and a summary of its values.

-- %%
local img = rad.read(image_path)
local mask = rad.read_mask(mask_path, {label = 1})
print(img)
print(mask)

-- %% [markdown]
-- ## Geometry
--
-- Four things place a grid in the patient:
--
-- - **size**: voxels along each index axis (i along x, fastest in the file; j; k);
-- - **spacing**: the voxel size in mm along each axis;
-- - **origin**: the world position (mm) of the centre of voxel (1, 1, 1);
-- - **direction**: a 3x3 matrix whose column c is the world direction of index axis c.
--
-- radlab's world coordinates are millimetres in the **LPS** frame (x to the
-- patient's left, y posterior, z superior), as DICOM, ITK and PyRadiomics use.
-- NIfTI files store RAS, so the first two axes are negated on read and write.

-- %%
local nx, ny, nz = img:size()
local sx, sy, sz = img:spacing()
local ox, oy, oz = img:origin()
print(string.format("size      %d x %d x %d voxels", nx, ny, nz))
print(string.format("spacing   %.2f x %.2f x %.2f mm (voxel volume %.3f mm^3)", sx, sy, sz, sx * sy * sz))
print(string.format("origin    (%.2f, %.2f, %.2f) mm", ox, oy, oz))
print(string.format("extent    %.1f x %.1f x %.1f mm", nx * sx, ny * sy, nz * sz))
local d = img:direction()
for r = 0, 2 do print(string.format("direction %5.2f %5.2f %5.2f", d[3 * r + 1], d[3 * r + 2], d[3 * r + 3])) end

-- %% [markdown]
-- ## Voxel and world coordinates
--
-- `img:to_point(i, j, k)` turns a 1-based (possibly fractional) index into a
-- world point: origin + direction x (spacing * (index - 1)). `img:to_index(x, y, z)`
-- goes back. Below: the centre of the mask's bounding box, in both systems,
-- and the CT value there.

-- %%
local bb = mask:bbox()
print("mask voxels", mask:count(), string.format("-> volume %.1f mL", mask:count() * sx * sy * sz / 1000))
print("bounding box", table.concat(bb.min, ","), "to", table.concat(bb.max, ","),
  "size", table.concat(bb.size, "x"))
local ci, cj, ck = (bb.min[1] + bb.max[1]) // 2, (bb.min[2] + bb.max[2]) // 2, (bb.min[3] + bb.max[3]) // 2
local x, y, z = img:to_point(ci, cj, ck)
print(string.format("voxel (%d, %d, %d) is at world (%.2f, %.2f, %.2f) mm", ci, cj, ck, x, y, z))
print(string.format("and back: index (%.2f, %.2f, %.2f)", img:to_index(x, y, z)))
print("CT value there:", img:get(ci, cj, ck), "HU; mask label:", mask:get(ci, cj, ck))

-- %% [markdown]
-- Intensities inside the ROI: `img:stats(mask)` gives the number of voxels,
-- minimum, maximum, mean and (population) standard deviation.

-- %%
local st = img:stats(mask)
print(string.format("ROI: n = %d, min %.1f, max %.1f, mean %.1f, sd %.1f HU", st.n, st.min, st.max, st.mean, st.sd))

-- %% [markdown]
-- ## Looking at the data
--
-- `rad.plot.slice` draws one slice in radiological orientation (patient's left
-- on the right of the screen) through a CT window ("soft": level 40, width 400 HU)
-- with the mask's contour; `rad.plot.montage` a grid of slices through the ROI.

-- %%
rad.plot.show(rad.plot.slice(img, {mask = mask, index = ck, window = "soft"}),
  "Axial slice through the centre of the tumour, mask contour in orange")

-- %%
rad.plot.show(rad.plot.montage(img, mask, {count = 6, columns = 3, window = "soft"}),
  "Six axial slices through the ROI")

-- %% [markdown]
-- ## Writing, and why geometry matters
--
-- Cropping keeps every voxel where it was in the world: the cropped grid is
-- smaller and its origin moves, so the same tumour voxel has a *new index* but
-- the *same world position*. We write the crop as NIfTI, read it back and check.

-- %%
local cimg, cmask = img:crop(mask, 2)
cimg:write(dir .. "/crop_ct.nii.gz"); cmask:write(dir .. "/crop_seg.nii.gz")
local img2 = rad.read(dir .. "/crop_ct.nii.gz")
local mask2 = rad.read_mask(dir .. "/crop_seg.nii.gz")
print(img2)
local i2, j2, k2 = img2:to_index(x, y, z)
print(string.format("the same world point is index (%.0f, %.0f, %.0f) in the crop", i2, j2, k2))
print("value there:", img2:get(math.floor(i2 + 0.5), math.floor(j2 + 0.5), math.floor(k2 + 0.5)), "HU")
print("mask voxels kept:", mask2:count())

-- %%
-- Clean up the scratch folder.
os.execute("rm -rf '" .. dir .. "'")

-- %% [markdown]
-- ## Try this
--
-- 1. Change `seed = 7` to another number: how do the tumour volume and the ROI's mean HU change?
-- 2. Draw the coronal and sagittal views: `rad.plot.slice(img, {mask = mask, axis = "coronal"})`.
-- 3. Use `img:to_point` on voxel (1, 1, 1) and (nx, ny, nz): do you get the origin and
--    origin + spacing x (size - 1)?
-- 4. Try `overlay = "fill"` and `window = "bone"` in `rad.plot.slice`: which structures appear?
-- 5. Read the mask with no label (`rad.read_mask(mask_path)`) and print `mask:labels()`.
