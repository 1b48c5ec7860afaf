-- PyRadiomics baseline column "brain1_combined": GLCM/GLRLM directions summed into one matrix.
-- The options of its diagnostics_Configuration_Settings row; those it
-- leaves out have PyRadiomics 2's defaults (binWidth 25, voxelArrayShift 0).
return {
    compat = "pyradiomics",
    pyradiomics = {
        weightingNorm = "no_weighting",
        minimumROIDimensions = 2,
        distances = {1},
        label = 1,
    },
}
