-- PyRadiomics baseline column "brain1_FBN": fixed bin count 64.
-- The options of its diagnostics_Configuration_Settings row; those it
-- leaves out have PyRadiomics 2's defaults (binWidth 25, voxelArrayShift 0).
return {
    compat = "pyradiomics",
    pyradiomics = {
        binCount = 64,
        minimumROIDimensions = 2,
        distances = {1},
        label = 1,
    },
}
