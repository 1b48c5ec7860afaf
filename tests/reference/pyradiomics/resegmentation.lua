-- PyRadiomics baseline column "brain1_resegmentation": re-segmented to mean +/- 3 sd.
-- The options of its diagnostics_Configuration_Settings row; those it
-- leaves out have PyRadiomics 2's defaults (binWidth 25, voxelArrayShift 0).
return {
    compat = "pyradiomics",
    pyradiomics = {
        resegmentRange = {-3, 3},
        resegmentMode = "sigma",
        minimumROIDimensions = 2,
        distances = {1},
        label = 1,
    },
}
