/** The part of jStat (no published types) that js-stats.ts uses. */
declare module 'jstat' {
  interface Distribution {
    pdf(x: number, alpha: number, beta: number): number;
    cdf(x: number, alpha: number, beta: number): number;
    inv(p: number, alpha: number, beta: number): number;
  }
  const jstat: { jStat: { beta: Distribution; studentt: { cdf(x: number, dof: number): number } } };
  export default jstat;
}
