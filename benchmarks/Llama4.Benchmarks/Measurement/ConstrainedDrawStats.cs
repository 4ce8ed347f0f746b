namespace Llama4.Benchmarks.Measurement;

/// <summary>What the engine sampler's grammar path did over the draws of one probe row.</summary>
/// <param name="Name">The probe row.</param>
/// <param name="Draws">Draws made (warm-up included).</param>
/// <param name="Redraws">Draws whose freely drawn token the grammar rejected, so that the exact constrained redraw ran.</param>
/// <param name="CandidatesChecked">Candidates handed to llama.cpp's grammar sampler over all draws.</param>
internal sealed record ConstrainedDrawStats(string Name, int Draws, int Redraws, long CandidatesChecked)
{
    public double RedrawShare => Draws > 0 ? (double)Redraws / Draws : double.NaN;

    public double CandidatesPerDraw => Draws > 0 ? (double)CandidatesChecked / Draws : double.NaN;
}
