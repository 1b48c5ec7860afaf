-- PyRadiomics baseline column "brain1" (its settings row: binWidth 25,
-- voxelArrayShift 2000, minimumROIDimensions 1, no resampling).
return {
    compat = "pyradiomics",
    pyradiomics = {
        binWidth = 25,
        voxelArrayShift = 2000,
        minimumROIDimensions = 1,
        distances = {1},
        gldm_a = 0,
        normalize = false,
        normalizeScale = 1,
        force2D = false,
        force2Ddimension = 0,
        padDistance = 5,
        label = 1,
    },
}
