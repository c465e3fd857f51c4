/**
 * JavaScript functions for unit conversion (`convert_*`, factors to the SI unit of each quantity, after
 * the units Kusto documents), the error function, and a few text tests (see js-library.ts for the
 * calling convention).
 */
import type { JsFn, JsValue } from './js-value.js';

/** Factor of each unit to the quantity's base unit. */
const UNITS: Record<string, Record<string, number>> = {
  angle: {
    Radian: 1,
    Deciradian: 0.1,
    Centiradian: 0.01,
    Milliradian: 1e-3,
    Microradian: 1e-6,
    Nanoradian: 1e-9,
    Degree: Math.PI / 180,
    Millidegree: Math.PI / 180e3,
    Microdegree: Math.PI / 180e6,
    Nanodegree: Math.PI / 180e9,
    Arcminute: Math.PI / 10800,
    Arcsecond: Math.PI / 648000,
    Gradian: Math.PI / 200,
    NatoMil: (2 * Math.PI) / 6400,
    Revolution: 2 * Math.PI,
  },
  energy: {
    Joule: 1,
    Kilojoule: 1e3,
    Megajoule: 1e6,
    Gigajoule: 1e9,
    Millijoule: 1e-3,
    WattHour: 3600,
    KilowattHour: 3.6e6,
    MegawattHour: 3.6e9,
    GigawattHour: 3.6e12,
    Calorie: 4.184,
    Kilocalorie: 4184,
    BritishThermalUnit: 1055.05585262,
    KilobritishThermalUnit: 1055055.85262,
    ElectronVolt: 1.602176634e-19,
    Erg: 1e-7,
    FootPound: 1.3558179483314,
    ThermEc: 105505585.262,
  },
  force: {
    Newton: 1,
    Decanewton: 10,
    Kilonewton: 1e3,
    Meganewton: 1e6,
    Millinewton: 1e-3,
    Micronewton: 1e-6,
    Dyn: 1e-5,
    KilogramForce: 9.80665,
    TonneForce: 9806.65,
    PoundForce: 4.4482216152605,
    KilopoundForce: 4448.2216152605,
    OunceForce: 0.278013850953781,
    Poundal: 0.138254954376,
  },
  length: {
    Meter: 1,
    Kilometer: 1e3,
    Hectometer: 100,
    Decameter: 10,
    Decimeter: 0.1,
    Centimeter: 0.01,
    Millimeter: 1e-3,
    Micrometer: 1e-6,
    Nanometer: 1e-9,
    Angstrom: 1e-10,
    Inch: 0.0254,
    Foot: 0.3048,
    Yard: 0.9144,
    Mile: 1609.344,
    NauticalMile: 1852,
    Fathom: 1.8288,
    Chain: 20.1168,
    Hand: 0.1016,
    Mil: 2.54e-5,
    Microinch: 2.54e-8,
    Shackle: 27.432,
    UsSurveyFoot: 1200 / 3937,
    DtpPoint: 0.0254 / 72,
    DtpPica: 0.0254 / 6,
    PrinterPoint: 0.0254 / 72.27,
    Twip: 0.0254 / 1440,
    AstronomicalUnit: 1.495978707e11,
  },
  mass: {
    Kilogram: 1,
    Gram: 1e-3,
    Hectogram: 0.1,
    Decagram: 1e-2,
    Decigram: 1e-4,
    Centigram: 1e-5,
    Milligram: 1e-6,
    Microgram: 1e-9,
    Nanogram: 1e-12,
    Tonne: 1e3,
    Kilotonne: 1e6,
    Megatonne: 1e9,
    Pound: 0.45359237,
    Ounce: 0.028349523125,
    Stone: 6.35029318,
    ShortTon: 907.18474,
    LongTon: 1016.0469088,
    Grain: 6.479891e-5,
    Slug: 14.593902937206364,
  },
  speed: {
    MeterPerSecond: 1,
    KilometerPerSecond: 1e3,
    CentimeterPerSecond: 0.01,
    MillimeterPerSecond: 1e-3,
    MeterPerMinute: 1 / 60,
    MeterPerHour: 1 / 3600,
    CentimeterPerHour: 0.01 / 3600,
    MillimeterPerHour: 0.001 / 3600,
    KilometerPerHour: 1 / 3.6,
    KilometerPerMinute: 1000 / 60,
    FootPerSecond: 0.3048,
    FootPerMinute: 0.3048 / 60,
    FootPerHour: 0.3048 / 3600,
    InchPerSecond: 0.0254,
    MilePerHour: 0.44704,
    Knot: 1852 / 3600,
    YardPerSecond: 0.9144,
  },
  volume: {
    CubicMeter: 1,
    CubicKilometer: 1e9,
    CubicDecimeter: 1e-3,
    CubicCentimeter: 1e-6,
    CubicMillimeter: 1e-9,
    Liter: 1e-3,
    Deciliter: 1e-4,
    Centiliter: 1e-5,
    Milliliter: 1e-6,
    Hectoliter: 0.1,
    Kiloliter: 1,
    Megaliter: 1e3,
    AcreFoot: 1233.48183754752,
    CubicFoot: 0.028316846592,
    CubicInch: 1.6387064e-5,
    CubicYard: 0.764554857984,
    CubicMile: 4168181825.44058,
    UsGallon: 0.003785411784,
    ImperialGallon: 0.00454609,
    UsQuart: 9.46352946e-4,
    UsPint: 4.73176473e-4,
    UsOunce: 2.95735295625e-5,
    ImperialOunce: 2.84130625e-5,
    OilBarrel: 0.158987294928,
  },
};

/** Temperatures: to and from kelvin. */
const TEMPERATURE: Record<string, [(x: number) => number, (k: number) => number]> = {
  Kelvin: [(x) => x, (k) => k],
  DegreeCelsius: [(x) => x + 273.15, (k) => k - 273.15],
  DegreeFahrenheit: [(x) => ((x + 459.67) * 5) / 9, (k) => (k * 9) / 5 - 459.67],
  DegreeRankine: [(x) => (x * 5) / 9, (k) => (k * 9) / 5],
  DegreeDelisle: [(x) => 373.15 - (x * 2) / 3, (k) => ((373.15 - k) * 3) / 2],
  DegreeNewton: [(x) => (x * 100) / 33 + 273.15, (k) => ((k - 273.15) * 33) / 100],
  DegreeReaumur: [(x) => x * 1.25 + 273.15, (k) => (k - 273.15) * 0.8],
  DegreeRoemer: [(x) => ((x - 7.5) * 40) / 21 + 273.15, (k) => ((k - 273.15) * 21) / 40 + 7.5],
};

function convert(quantity: string): JsFn {
  const table = UNITS[quantity];
  return (value, from, to) => {
    if (typeof value !== 'number' || typeof from !== 'string' || typeof to !== 'string') return null;
    const [a, b] = [table[from], table[to]];
    return a === undefined || b === undefined ? null : (value * a) / b;
  };
}

function convertTemperature(value: JsValue, from: JsValue, to: JsValue): JsValue {
  if (typeof value !== 'number' || typeof from !== 'string' || typeof to !== 'string') return null;
  const [a, b] = [TEMPERATURE[from], TEMPERATURE[to]];
  return a === undefined || b === undefined ? null : b[1](a[0](value));
}

/** erf by its Taylor series (exact to ~1e-14 for |x| < 3). */
function erfSeries(x: number): number {
  let [term, sum] = [x, x];
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc for x ≥ 0 by Numerical Recipes' Chebyshev fit (relative error below 1.2e-7). */
function erfcFit(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const c = [
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
    -0.82215223, 0.17087277,
  ];
  const poly = c.reduceRight((acc, k) => k + t * acc, 0);
  return t * Math.exp(-x * x + poly);
}

const erf = (x: JsValue): JsValue =>
  typeof x !== 'number' ? null : Math.abs(x) < 3 ? erfSeries(x) : Math.sign(x) * (1 - erfcFit(Math.abs(x)));
const erfc = (x: JsValue): JsValue =>
  typeof x !== 'number' ? null : Math.abs(x) < 3 ? 1 - erfSeries(x) : x > 0 ? erfcFit(x) : 2 - erfcFit(-x);

/** Index of the first lookup the text `has` (a whole term, case-insensitive), -1 when none. */
function hasAnyIndex(text: JsValue, lookups: JsValue): JsValue {
  if (typeof text !== 'string' || !Array.isArray(lookups)) return null;
  const lower = text.toLowerCase();
  return lookups.findIndex((l) => {
    const term = String(l ?? '').toLowerCase();
    if (!term) return false;
    for (let i = lower.indexOf(term); i >= 0; i = lower.indexOf(term, i + 1)) {
      const [before, after] = [lower[i - 1] ?? ' ', lower[i + term.length] ?? ' '];
      if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
    }
    return false;
  });
}

export const MEASURE_LIBRARY: Record<string, JsFn> = {
  ...Object.fromEntries(Object.keys(UNITS).map((q) => [`convert_${q}`, convert(q)])),
  convert_temperature: convertTemperature,
  erf,
  erfc,
  isascii: (s) => (typeof s === 'string' ? /^[\x00-\x7f]*$/.test(s) : null),
  has_any_index: hasAnyIndex,
};
