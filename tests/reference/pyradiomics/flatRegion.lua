-- PyRadiomics baseline column "brain1_flatRegion": one bin (binWidth 5000), re-segmented from 0 up.
-- The options of its diagnostics_Configuration_Settings row; those it
-- leaves out have PyRadiomics 2's defaults (binWidth 25, voxelArrayShift 0).
return {
    compat = "pyradiomics",
    pyradiomics = {
        binWidth = 5000,
        resegmentRange = {0},
        minimumROIDimensions = 2,
        distances = {1},
        label = 1,
    },
}
