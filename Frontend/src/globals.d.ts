/** Lets TypeScript accept the stylesheet imports that esbuild bundles into app.css. */
declare module '*.css';
