# One image for every sqa service; docker-compose picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build:web
ENV NODE_ENV=production
CMD ["npx", "tsx", "bin/start.ts"]
