import { defineConfig } from "vite";

// `npm run dev` serves the app on its own; gRPC-Web calls go to the edge (Envoy) that
// `make run` starts: STORE_APP_EDGE=http://127.0.0.1:<edge port> npm run dev --prefix web
const edge = process.env.STORE_APP_EDGE ?? "http://127.0.0.1:8088";

export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022" },
  server: {
    proxy: {
      "/clickcollect.gateway.v1.StoreOpsService": edge,
      "/clickcollect.gateway.v1.CheckoutService": edge,
    },
  },
});
