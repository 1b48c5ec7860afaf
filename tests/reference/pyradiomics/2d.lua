-- PyRadiomics baseline column "brain1_2d": texture matrices in-plane (force2D, axial).
-- The options of its diagnostics_Configuration_Settings row; those it
-- leaves out have PyRadiomics 2's defaults (binWidth 25, voxelArrayShift 0).
return {
    compat = "pyradiomics",
    pyradiomics = {
        force2D = true,
        force2Ddimension = 0,
        minimumROIDimensions = 2,
        distances = {1},
        label = 1,
    },
}
