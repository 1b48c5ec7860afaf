-- PyRadiomics baseline column "brain1_resampling": resampled to 2 mm, B-spline.
-- The options of its diagnostics_Configuration_Settings row; those it
-- leaves out have PyRadiomics 2's defaults (binWidth 25, voxelArrayShift 0).
return {
    compat = "pyradiomics",
    pyradiomics = {
        resampledPixelSpacing = {2, 2, 2},
        interpolator = "sitkBSpline",
        minimumROIDimensions = 2,
        distances = {1},
        label = 1,
    },
}
