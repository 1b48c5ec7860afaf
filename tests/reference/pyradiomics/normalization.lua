-- PyRadiomics baseline column "brain1_normalization": whole image z-scored times 100, binWidth 5.
-- The options of its diagnostics_Configuration_Settings row; those it
-- leaves out have PyRadiomics 2's defaults (binWidth 25, voxelArrayShift 0).
return {
    compat = "pyradiomics",
    pyradiomics = {
        normalize = true,
        normalizeScale = 100,
        binWidth = 5,
        minimumROIDimensions = 2,
        distances = {1},
        label = 1,
    },
}
