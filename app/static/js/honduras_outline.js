// A coarse outline of mainland Honduras (about 35 points, GeoJSON order [longitude, latitude]), drawn by hand
// from well-known places on the coast and the borders. APPROXIMATE: good enough to show where the markers sit
// when no tile server is configured, not for measuring anything. The islands are left out.
(function () {
  "use strict";
  window.HONDURAS_OUTLINE = {
    type: "Feature",
    properties: { name: "Honduras (approximate outline)" },
    geometry: {
      type: "Polygon",
      coordinates: [[
        [-88.22, 15.72], // mouth of the Motagua, border with Guatemala
        [-88.04, 15.78], // Omoa
        [-87.94, 15.85], // Puerto Cortés
        [-87.45, 15.79], // Tela
        [-86.79, 15.78], // La Ceiba
        [-86.35, 15.80],
        [-85.97, 15.93], // Trujillo
        [-85.72, 15.95], // Santa Rosa de Aguán
        [-85.03, 15.99], // Cabo Camarón
        [-84.62, 15.85], // Brus Laguna
        [-84.05, 15.55],
        [-83.62, 15.30], // Caratasca lagoon
        [-83.15, 15.00], // Cabo Gracias a Dios, mouth of the Coco
        [-83.60, 14.78], // the Coco, border with Nicaragua
        [-84.10, 14.75], // Leimus
        [-84.60, 14.66],
        [-85.10, 14.35],
        [-85.75, 13.95],
        [-86.05, 13.85],
        [-86.55, 13.76], // Las Manos
        [-86.75, 13.50],
        [-87.05, 13.05], // El Guasaule
        [-87.32, 12.98], // Gulf of Fonseca
        [-87.45, 13.20],
        [-87.55, 13.30], // Amapala
        [-87.80, 13.42], // mouth of the Goascorán, border with El Salvador
        [-87.72, 13.78],
        [-88.10, 13.98],
        [-88.45, 14.12],
        [-88.85, 14.30],
        [-89.35, 14.42], // Trifinio, where the three countries meet
        [-89.15, 14.62], // Agua Caliente
        [-89.22, 14.85], // Copán
        [-88.95, 15.10],
        [-88.65, 15.35],
        [-88.40, 15.55],
        [-88.22, 15.72]
      ]]
    }
  };
})();
